// POST /api/usage: spend wallet credits for the signed-in user, once per idempotency key.
import { NextResponse } from "next/server";
import { parseJson } from "@/lib/core/api";
import { withUser } from "@/lib/accounts";
import { spendCredits } from "@/lib/usage";
import { spendCreditsSchema } from "@/lib/validations/wallet";

export const POST = withUser(async (req, { user }) => {
  const input = await parseJson(req, spendCreditsSchema);
  const result = await spendCredits(user.id, input);
  // A debit that took the balance below the auto-recharge threshold has its charge started after the answer (spendCredits).
  return NextResponse.json(result, { status: result.replayed ? 200 : 201 });
});
