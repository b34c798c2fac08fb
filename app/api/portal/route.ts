// POST /api/portal: open a Stripe Customer Portal session for the signed-in user (409 no_billing_account without one).
import { NextResponse } from "next/server";
import { openBillingPortal } from "@/lib/billing";
import { withUser } from "@/lib/accounts";

export const POST = withUser(async (_req, { user }) => {
  const portal = await openBillingPortal(user.id);
  return NextResponse.json({ url: portal.url }, { status: 201 });
});
