import { pgPool } from "../core/db";
import { SqlParameters } from "../core/sql-parameters";
import { keysetBatches } from "../core/keyset-batches";
import type { LedgerEntryType } from "../generated/prisma/enums";
import { emailLikePattern } from "./email-match";
import { decodeCursor, pageOf, type KeysetCursor } from "./cursor";
import { MAX_ADMIN_ENTRY_PAGE_SIZE, ADMIN_ENTRY_PAGE_SIZE, type AdminEntryFilter } from "./entry-filters";

// Every ledger entry across users, for the admin's entries page, its JSON API and its CSV export.
//
// Newest first by (createdAt DESC, id DESC), paged by keyset, never OFFSET, and never a count over the
// table per page. Each filter shape walks one of the ledger's btree indexes backwards, so a page reads
// about `limit` index entries wherever it starts:
//   - user email → the wallets of the users it matches → LedgerEntry(walletId, createdAt, id), one ordered walk per
//     wallet, each with its own bound wallet id (`walletId = ANY(…)` on PostgreSQL 15 loses the index
//     order and sorts every entry of the user instead);
//   - type → (type, createdAt, id); date range and no filter → (createdAt, id);
//   - Stripe reference → (stripeObjectId), then a sort of the handful of entries it names.
// The amount range has no index: it filters rows as the walk passes them, so a rare amount range over a
// large table reads further per page; combine it with a date range or an email to keep it tight.
//
// SQL goes through the plain `pg` pool rather than Prisma: the filters build the WHERE clause piece by
// piece, this is the read path a script may hammer, and the export runs thousands of batch queries, so
// the per-query overhead of the ORM is worth skipping (the timestamp columns are `timestamp(3)` in UTC:
// bounds go in as ISO text cast to timestamp, and come out `AT TIME ZONE 'UTC'` so no local zone applies).

/** Rows per query while exporting: big enough to amortize the round trip, small enough to stream. */
export const EXPORT_BATCH_SIZE = 2_000;

export interface AdminEntry {
  id: string;
  createdAt: Date;
  userId: string;
  email: string;
  currency: string;
  type: LedgerEntryType;
  amountMinor: number;
  balanceAfterMinor: number;
  stripeObjectId: string | null;
  description: string | null;
  createdByAdminId: string | null;
}

/** The filter's conditions on LedgerEntry `e`, except the user (which picks the wallets). */
export function entryConditions(filter: AdminEntryFilter, params: SqlParameters): string[] {
  const conditions: string[] = [];
  if (filter.type) conditions.push(`e."type" = ${params.add(filter.type)}::"LedgerEntryType"`);
  if (filter.from) conditions.push(`e."createdAt" >= ${params.add(filter.from.toISOString())}::timestamp`);
  if (filter.to) conditions.push(`e."createdAt" < ${params.add(filter.to.toISOString())}::timestamp`);
  if (filter.minAmountMinor !== undefined) conditions.push(`e."amountMinor" >= ${params.add(filter.minAmountMinor)}::int`);
  if (filter.maxAmountMinor !== undefined) conditions.push(`e."amountMinor" <= ${params.add(filter.maxAmountMinor)}::int`);
  if (filter.reference) conditions.push(`e."stripeObjectId" = ${params.add(filter.reference)}`);
  return conditions;
}

const ENTRY_COLUMNS = `e."id", e."walletId", e."createdAt", e."type", e."amountMinor", e."balanceAfterMinor", e."stripeObjectId", e."description", e."createdByAdminId"`;
const NEWEST_FIRST = `ORDER BY e."createdAt" DESC, e."id" DESC`;

/** More wallets than this match an email filter: one ordered walk each would cost more than a filter over the whole ledger. */
const MAX_WALLET_WALKS = 20;

/** The wallets of the users whose email contains `email` (lib/admin/email-match.ts); empty when there are none. */
async function walletIdsMatching(email: string, limit: number): Promise<string[]> {
  const result = await pgPool().query<{ id: string }>(
    `SELECT w."id" FROM "User" u JOIN "Wallet" w ON w."userId" = u."id" WHERE u."email" ILIKE $1 ESCAPE '\\' LIMIT $2`,
    [emailLikePattern(email), limit],
  );
  return result.rows.map((row) => row.id);
}

/** The email filter as a condition on the entry's wallet, for a walk over the whole ledger. */
function emailCondition(email: string, params: SqlParameters): string {
  return `e."walletId" IN (SELECT w."id" FROM "Wallet" w JOIN "User" u ON u."id" = w."userId" WHERE u."email" ILIKE ${params.add(emailLikePattern(email))} ESCAPE '\\')`;
}

/** Up to `take` entries matching the filter that come after `after`, newest first; null wallets = any user. */
async function fetchEntries(filter: AdminEntryFilter, walletIds: string[] | null, after: KeysetCursor | null, take: number): Promise<AdminEntry[]> {
  const params = new SqlParameters();
  const conditions = entryConditions(filter, params);
  if (after) conditions.push(`(e."createdAt", e."id") < (${params.add(after.at.toISOString())}::timestamp, ${params.add(after.id)})`);
  const limit = params.add(take);
  let page: string;
  if (walletIds) {
    // One ordered index walk per wallet of the user (a wallet per currency: one or two), each with its
    // wallet id bound as a plain parameter, so the planner estimates that wallet from its own statistics
    // and walks (walletId, createdAt, id) backwards, stopping after `take`. A LATERAL join over the ids
    // is planned for the average wallet instead, and for a wallet far busier than that it read and
    // sorted every entry (18 ms a page, 374 ms an export batch, at 50,000 entries).
    const walks = walletIds.map(
      (walletId) => `(SELECT ${ENTRY_COLUMNS} FROM "LedgerEntry" e WHERE ${[`e."walletId" = ${params.add(walletId)}`, ...conditions].join(" AND ")} ${NEWEST_FIRST} LIMIT ${limit})`,
    );
    page = walks.join(" UNION ALL ");
  } else {
    // An email that matches too many wallets to walk one by one: filtered as the walk passes.
    if (filter.email) conditions.push(emailCondition(filter.email, params));
    page = `SELECT ${ENTRY_COLUMNS} FROM "LedgerEntry" e ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""} ${NEWEST_FIRST} LIMIT ${limit}`;
  }
  // The page is picked from the ledger alone, then joined to its wallets and users (by primary key).
  const result = await pgPool().query<AdminEntry>(
    `SELECT e."id", e."createdAt" AT TIME ZONE 'UTC' AS "createdAt", w."userId", u."email", w."currency", e."type", e."amountMinor",
            e."balanceAfterMinor", e."stripeObjectId", e."description", e."createdByAdminId"
     FROM (${page}) AS e
     JOIN "Wallet" w ON w."id" = e."walletId"
     JOIN "User" u ON u."id" = w."userId"
     ${NEWEST_FIRST} LIMIT ${limit}`,
    params.values,
  );
  return result.rows;
}

/**
 * The wallets the filter is limited to, each walked in its own index order: null for every user (or
 * for an email matching more than MAX_WALLET_WALKS wallets, filtered in the walk instead), [] for an
 * email nobody's contains.
 */
async function walletScope(filter: AdminEntryFilter): Promise<string[] | null> {
  if (!filter.email) return null;
  const wallets = await walletIdsMatching(filter.email, MAX_WALLET_WALKS + 1);
  return wallets.length > MAX_WALLET_WALKS ? null : wallets;
}

/** One page of entries, newest first; `cursor` is a previous page's `nextCursor` (malformed → first page). */
export async function listAdminEntries(
  filter: AdminEntryFilter,
  page: { cursor?: string | null; limit?: number } = {},
): Promise<{ entries: AdminEntry[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(page.limit ?? ADMIN_ENTRY_PAGE_SIZE, 1), MAX_ADMIN_ENTRY_PAGE_SIZE);
  const wallets = await walletScope(filter);
  if (wallets?.length === 0) return { entries: [], nextCursor: null };
  const rows = await fetchEntries(filter, wallets, decodeCursor(page.cursor), take + 1);
  const { items, nextCursor } = pageOf(rows, take, (row) => row.createdAt);
  return { entries: items, nextCursor };
}

/**
 * Every entry the filter selects, newest first, fetched `batchSize` at a time by keyset (one short
 * query each; see keysetBatches).
 */
export async function* adminEntryBatches(filter: AdminEntryFilter, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<AdminEntry[]> {
  const wallets = await walletScope(filter);
  if (wallets?.length === 0) return;
  yield* keysetBatches((after: KeysetCursor | null) => fetchEntries(filter, wallets, after, batchSize), (last) => ({ at: last.createdAt, id: last.id }), batchSize);
}
