// GET /api/wallet/auto-recharge: the signed-in user's auto-recharge settings, this month's recharges against the cap, recent recharges, and why it is off if Billfold switched it off.
// PUT /api/wallet/auto-recharge: save { enabled, thresholdMinor, targetMinor, monthlyCapMinor } (422 with each field's problem; 409 card_required to turn it on without a saved card).
import { NextResponse } from "next/server";
import { parseJson } from "@/lib/core/api";
import { withUser } from "@/lib/accounts";
import { autoRechargeLimits, getAutoRechargeView, updateAutoRecharge } from "@/lib/payments/recharges";
import { autoRechargeSettingsSchema } from "@/lib/validations/auto-recharge";

export const GET = withUser(async (_req, { user }) => {
  return NextResponse.json({ autoRecharge: await getAutoRechargeView(user.id) }, { headers: { "Cache-Control": "no-store" } });
});

export const PUT = withUser(async (req, { user }) => {
  const input = await parseJson(req, autoRechargeSettingsSchema(autoRechargeLimits()));
  return NextResponse.json({ settings: await updateAutoRecharge(user.id, input) });
});
