import type { LedgerEntryType } from "../generated/prisma/client";
import { db, pgPool } from "../core/db";
import { keysetBatches } from "../core/keyset-batches";
import { SqlParameters } from "../core/sql-parameters";

export interface LedgerEntryView {
  id: string;
  type: LedgerEntryType;
  amountMinor: number;
  balanceAfterMinor: number;
  description: string | null;
  stripeObjectId: string | null;
  createdAt: Date;
  /** For a top-up, the paid purchase whose receipt the entry list links to (the wallet's own queries only). */
  receiptPurchaseId?: string | null;
}

export interface WalletView {
  currency: string;
  balanceMinor: number;
  entries: LedgerEntryView[];
  nextCursor: string | null;
}

/** Which of a wallet's entries the entry list and the statement show (lib/validations/wallet-entries.ts reads it from a query string). */
export interface WalletEntryFilter {
  type?: LedgerEntryType;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** Rows per query while streaming a statement: one short index walk each. */
export const STATEMENT_BATCH_SIZE = 1_000;

/** A user's balance alone (0 before the wallet exists): cheap enough to poll. */
export async function getWalletBalance(userId: string, currency: string): Promise<{ balanceMinor: number; currency: string }> {
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency } }, select: { balanceMinor: true } });
  return { balanceMinor: wallet?.balanceMinor ?? 0, currency };
}

async function findWallet(userId: string, currency: string): Promise<{ id: string; balanceMinor: number } | null> {
  const wallets = await pgPool().query<{ id: string; balanceMinor: number }>(
    `SELECT "id", "balanceMinor" FROM "Wallet" WHERE "userId" = $1 AND "currency" = $2`,
    [userId, currency],
  );
  return wallets.rows[0] ?? null;
}

/**
 * Up to `take` entries of one wallet that match the filter, newest first, after the entry `afterId`
 * (the previous page's last). One backward walk of LedgerEntry(walletId, createdAt, id): the wallet id
 * is bound, the date range bounds createdAt inside the index, and the cursor's (createdAt, id) is a
 * row comparison on the same columns, so the walk starts where the last page ended and stops after
 * `take` matching rows, however busy the wallet; the type is checked on the rows the walk passes.
 * A cursor of another wallet (or none) gives an empty page. Timestamps are `timestamp(3)` in UTC:
 * bounds go in as ISO text cast to timestamp and come out `AT TIME ZONE 'UTC'`, so no local zone applies.
 */
async function fetchWalletEntries(walletId: string, filter: WalletEntryFilter, afterId: string | null, take: number): Promise<LedgerEntryView[]> {
  const params = new SqlParameters();
  const wallet = params.add(walletId);
  const conditions = [`e."walletId" = ${wallet}`];
  if (filter.type) conditions.push(`e."type" = ${params.add(filter.type)}::"LedgerEntryType"`);
  if (filter.from) conditions.push(`e."createdAt" >= ${params.add(filter.from.toISOString())}::timestamp`);
  if (filter.to) conditions.push(`e."createdAt" < ${params.add(filter.to.toISOString())}::timestamp`);
  if (afterId) conditions.push(`(e."createdAt", e."id") < (SELECT c."createdAt", c."id" FROM "LedgerEntry" c WHERE c."id" = ${params.add(afterId)} AND c."walletId" = ${wallet})`);
  const rows = await pgPool().query<LedgerEntryView>(
    `SELECT e."id", e."type", e."amountMinor", e."balanceAfterMinor", e."description", e."stripeObjectId", e."createdAt" AT TIME ZONE 'UTC' AS "createdAt",
            -- A top-up's reference is its PaymentIntent (or, before one exists, its Checkout Session); both are unique on Purchase.
            CASE WHEN e."type" = 'TOPUP' THEN (
              SELECT p."id" FROM "Purchase" p
              WHERE (p."paymentIntentId" = e."stripeObjectId" OR p."checkoutSessionId" = e."stripeObjectId") AND p."paidAt" IS NOT NULL
              LIMIT 1
            ) END AS "receiptPurchaseId"
     FROM "LedgerEntry" e
     WHERE ${conditions.join(" AND ")}
     ORDER BY e."createdAt" DESC, e."id" DESC
     LIMIT ${params.add(take)}`,
    params.values,
  );
  return rows.rows;
}

/**
 * A user's wallet and one page of its entry list, newest first, optionally filtered by type and date
 * range. A wallet not yet created reads as empty. Plain `pg`, two statements: the wallet, then one
 * index walk (see fetchWalletEntries); /wallet reads this on every visit, and Prisma's per-query cost
 * was twice the SQL's. `cursor` is the previous page's `nextCursor` (the id of its last entry).
 */
export async function getWalletView(
  userId: string,
  currency: string,
  page: { take: number; cursor?: string; filter?: WalletEntryFilter },
): Promise<WalletView> {
  const wallet = await findWallet(userId, currency);
  if (!wallet) return { currency, balanceMinor: 0, entries: [], nextCursor: null };
  const rows = await fetchWalletEntries(wallet.id, page.filter ?? {}, page.cursor ?? null, page.take + 1);
  const entries = rows.slice(0, page.take);
  return {
    currency,
    balanceMinor: wallet.balanceMinor,
    entries,
    nextCursor: rows.length > page.take ? (entries.at(-1)?.id ?? null) : null,
  };
}

/**
 * Every entry of the user's wallet in `currency` that the filter selects, newest first (the order of
 * /wallet's entry list), `batchSize` at a time: each batch is one keyset query after the previous batch's
 * last entry, the same query as a page of the entry list (see keysetBatches). Nothing before the wallet exists.
 */
export async function* walletEntryBatches(userId: string, currency: string, filter: WalletEntryFilter, batchSize = STATEMENT_BATCH_SIZE): AsyncGenerator<LedgerEntryView[]> {
  const wallet = await findWallet(userId, currency);
  if (!wallet) return;
  yield* keysetBatches((afterId: string | null) => fetchWalletEntries(wallet.id, filter, afterId, batchSize), (last) => last.id, batchSize);
}
