// GET /api/wallet/limits: the signed-in user's spending controls, with this month's usage against them.
// PUT /api/wallet/limits: set the monthly spend limit and low-balance alert threshold (null turns either off).
import { NextResponse } from "next/server";
import { parseJson } from "@/lib/core/api";
import { env } from "@/lib/core/env";
import { withUser } from "@/lib/accounts";
import { getSpendingControls, updateSpendingControls } from "@/lib/usage";
import { walletLimitsSchema } from "@/lib/validations/wallet-limits";

export const GET = withUser(async (_req, { user }) => NextResponse.json(await getSpendingControls(user.id, env().BILLFOLD_CURRENCY)));

export const PUT = withUser(async (req, { user }) => {
  const limits = await parseJson(req, walletLimitsSchema);
  return NextResponse.json(await updateSpendingControls(user.id, env().BILLFOLD_CURRENCY, limits));
});
