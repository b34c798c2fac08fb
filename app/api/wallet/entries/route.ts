// GET /api/wallet/entries?type=&from=&to=&cursor=: the signed-in user's balance and one page of the wallet's entries (newest first), filtered as /wallet shows it.
import { NextResponse } from "next/server";
import { z } from "zod";
import { ServerTiming } from "@/lib/core/api";
import { env } from "@/lib/core/env";
import { withUser } from "@/lib/accounts";
import { getWalletView } from "@/lib/ledger";
import { walletEntryFilterSchema } from "@/lib/validations/wallet-entries";

const pageSchema = z.object({
  // The id of the previous page's last entry (nextCursor), as on /wallet?cursor=.
  cursor: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const GET = withUser(async (req, { user }) => {
  const search = Object.fromEntries(new URL(req.url).searchParams);
  const page = pageSchema.parse(search);
  const filter = walletEntryFilterSchema.parse(search);
  const timing = new ServerTiming();
  const wallet = await timing.measure("query", () => getWalletView(user.id, env().BILLFOLD_CURRENCY, { take: page.limit, cursor: page.cursor, filter }));
  return NextResponse.json(wallet, { headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() } });
});
