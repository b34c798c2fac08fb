// GET /api/wallet: the signed-in user's balance and, with ?session_id=, that checkout's purchase status.
import { NextResponse } from "next/server";
import { z } from "zod";
import { withUser } from "@/lib/guards";
import { env } from "@/lib/env";
import { getWalletBalance } from "@/lib/ledger";
import { getPurchaseBySession } from "@/lib/topups";

const querySchema = z.object({ session_id: z.string().min(1).max(255).optional() });

export const GET = withUser(async (req, { user }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const [wallet, purchase] = await Promise.all([
    getWalletBalance(user.id, env().BILLFOLD_CURRENCY),
    query.session_id ? getPurchaseBySession(user.id, query.session_id) : null,
  ]);
  return NextResponse.json(
    {
      wallet,
      purchase: purchase && { status: purchase.status, amountMinor: purchase.amountMinor, currency: purchase.currency, failureMessage: purchase.failureMessage },
    },
    { headers: { "Cache-Control": "no-store" } },
  );
});
