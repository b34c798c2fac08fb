// GET /api/wallet: the signed-in user's balance and, with ?purchase= (or ?session_id=), that purchase as they see it now.
import { NextResponse } from "next/server";
import { z } from "zod";
import { withUser } from "@/lib/accounts";
import { env } from "@/lib/core/env";
import { getWalletBalance } from "@/lib/ledger";
import { findUserPurchase, purchaseView } from "@/lib/payments/purchases";

const querySchema = z.object({ purchase: z.string().min(1).max(64).optional(), session_id: z.string().min(1).max(255).optional() });

export const GET = withUser(async (req, { user }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const [wallet, purchase] = await Promise.all([
    getWalletBalance(user.id, env().BILLFOLD_CURRENCY),
    findUserPurchase(user.id, { purchaseId: query.purchase, checkoutSessionId: query.session_id }),
  ]);
  return NextResponse.json({ wallet, purchase: purchase && purchaseView(purchase) }, { headers: { "Cache-Control": "no-store" } });
});
