// POST /api/checkout: start a Stripe Checkout Session for a credit pack, a custom top-up amount, or a plan ({ kind: "subscription", planKey }).
import { NextResponse } from "next/server";
import { parseJson } from "@/lib/core/api";
import { startPlanCheckout } from "@/lib/billing";
import { withUser } from "@/lib/accounts";
import { startTopUp } from "@/lib/payments/topups";
import { checkoutRequestSchema } from "@/lib/validations/checkout";

export const POST = withUser(async (req, { user }) => {
  const request = await parseJson(req, checkoutRequestSchema);
  if (request.kind === "subscription") {
    // A user who already subscribes gets the portal instead: { destination: "portal", url }.
    const plan = await startPlanCheckout(user.id, request.planKey);
    return NextResponse.json({ destination: plan.destination, url: plan.url }, { status: 201 });
  }
  const topUp = await startTopUp(user.id, request);
  return NextResponse.json(topUp, { status: 201 });
});
