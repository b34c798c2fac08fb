import { pgPool } from "../core/db";
import { emailLikePattern } from "./email-match";
import type { AdminEntryFilter } from "./entry-filters";
import { SqlParameters } from "../core/sql-parameters";
import { entryConditions } from "./entry-query";

export interface AdminEntryTotals {
  currency: string;
  count: number;
  /** Sum of the positive entries. */
  creditsMinor: number;
  /** Sum of the negative entries, signed like them (≤ 0), so creditsMinor + debitsMinor = netMinor. */
  debitsMinor: number;
  netMinor: number;
}

/**
 * Count, credits, debits and net per currency over everything the filter selects, in one aggregate
 * with the same WHERE. It reads every matching entry, so callers ask for it only when shown (the API's
 * `totals=1`; the page streams it after the table). Measured on this machine (2 cores, PostgreSQL 15,
 * warm cache) over a generated 1,000,000-entry ledger: ~110 ms with no filter (a parallel seq scan),
 * ~60 ms for one user holding 100,000 of them, ~2 ms for a user with ~1,000 entries.
 */
export async function getAdminEntryTotals(filter: AdminEntryFilter): Promise<AdminEntryTotals[]> {
  const params = new SqlParameters();
  const conditions = entryConditions(filter, params);
  // The user is joined here rather than looked up first, as a page must (for its index order): an
  // aggregate needs no order, and the page it is shown beside has already made that lookup once.
  if (filter.email) conditions.push(`u."email" ILIKE ${params.add(emailLikePattern(filter.email))} ESCAPE '\\'`);
  const result = await pgPool().query<{ currency: string; count: string; creditsMinor: string; debitsMinor: string; netMinor: string }>(
    `SELECT w."currency", count(*) AS "count",
            coalesce(sum(e."amountMinor") FILTER (WHERE e."amountMinor" > 0), 0) AS "creditsMinor",
            coalesce(sum(e."amountMinor") FILTER (WHERE e."amountMinor" < 0), 0) AS "debitsMinor",
            coalesce(sum(e."amountMinor"), 0) AS "netMinor"
     FROM "LedgerEntry" e JOIN "Wallet" w ON w."id" = e."walletId" ${filter.email ? `JOIN "User" u ON u."id" = w."userId"` : ""}
     ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
     GROUP BY w."currency" ORDER BY w."currency"`,
    params.values,
  );
  // count and sum come back as bigint text; any realistic ledger total is far inside 2^53.
  const exact = (text: string) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw new RangeError(`total ${text} is beyond exact JavaScript integers`);
    return value;
  };
  return result.rows.map((row) => ({
    currency: row.currency,
    count: exact(row.count),
    creditsMinor: exact(row.creditsMinor),
    debitsMinor: exact(row.debitsMinor),
    netMinor: exact(row.netMinor),
  }));
}
