// POST /api/checkout: start a Stripe Checkout Session for a credit pack or a custom top-up amount.
import { NextResponse } from "next/server";
import { parseJson } from "@/lib/api";
import { withUser } from "@/lib/guards";
import { startTopUp } from "@/lib/topups";
import { checkoutRequestSchema } from "@/lib/validations/wallet";

export const POST = withUser(async (req, { user }) => {
  const request = await parseJson(req, checkoutRequestSchema);
  const topUp = await startTopUp(user.id, request);
  return NextResponse.json(topUp, { status: 201 });
});
