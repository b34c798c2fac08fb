// GET /api/admin/entries: every ledger entry across users, filtered, newest first, by keyset cursor;
// with totals=1 also the filter's totals per currency (admins only; for scripts and monitoring).
import { NextResponse } from "next/server";
import { adminEntryListQuerySchema, listAdminEntries, getAdminEntryTotals } from "@/lib/admin";
import { ServerTiming } from "@/lib/core/api";
import { withAdmin } from "@/lib/accounts";

export const GET = withAdmin(async (req) => {
  const { filter, cursor, limit, totals } = adminEntryListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const timing = new ServerTiming();
  const [page, totalsByCurrency] = await timing.measure("query", () =>
    Promise.all([listAdminEntries(filter, { cursor, limit }), totals ? getAdminEntryTotals(filter) : undefined]),
  );
  return NextResponse.json(
    { ...page, ...(totalsByCurrency ? { totals: totalsByCurrency } : {}) },
    { headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() } },
  );
});
