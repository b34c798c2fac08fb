import type { LedgerEntryType } from "../generated/prisma/client";
import { db, pgPool } from "../db";

export interface LedgerEntryView {
  id: string;
  type: LedgerEntryType;
  amountMinor: number;
  balanceAfterMinor: number;
  description: string | null;
  stripeObjectId: string | null;
  createdAt: Date;
}

export interface WalletView {
  currency: string;
  balanceMinor: number;
  entries: LedgerEntryView[];
  nextCursor: string | null;
}

/** A user's balance alone (0 before the wallet exists): cheap enough to poll. */
export async function getWalletBalance(userId: string, currency: string): Promise<{ balanceMinor: number; currency: string }> {
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency } }, select: { balanceMinor: true } });
  return { balanceMinor: wallet?.balanceMinor ?? 0, currency };
}

/**
 * A user's wallet and one page of its history, newest first. A wallet not yet created reads as empty.
 * Plain `pg`, two statements: the wallet, then a backward walk of LedgerEntry(walletId, createdAt, id)
 * from the cursor entry, with the wallet id bound so the plan stops after `take` rows however busy the
 * wallet (/wallet reads this on every visit; Prisma's per-query cost was twice the SQL's).
 */
export async function getWalletView(userId: string, currency: string, page: { take: number; cursor?: string }): Promise<WalletView> {
  const wallets = await pgPool().query<{ id: string; balanceMinor: number }>(
    `SELECT "id", "balanceMinor" FROM "Wallet" WHERE "userId" = $1 AND "currency" = $2`,
    [userId, currency],
  );
  const wallet = wallets.rows[0];
  if (!wallet) return { currency, balanceMinor: 0, entries: [], nextCursor: null };
  // The cursor is the previous page's last entry id; one of another wallet (or none) gives an empty page.
  const after = page.cursor
    ? `AND (e."createdAt", e."id") < (SELECT c."createdAt", c."id" FROM "LedgerEntry" c WHERE c."id" = $3 AND c."walletId" = $1)`
    : "";
  const rows = await pgPool().query<LedgerEntryView>(
    `SELECT e."id", e."type", e."amountMinor", e."balanceAfterMinor", e."description", e."stripeObjectId", e."createdAt" AT TIME ZONE 'UTC' AS "createdAt"
     FROM "LedgerEntry" e
     WHERE e."walletId" = $1 ${after}
     ORDER BY e."createdAt" DESC, e."id" DESC
     LIMIT $2`,
    page.cursor ? [wallet.id, page.take + 1, page.cursor] : [wallet.id, page.take + 1],
  );
  const entries = rows.rows.slice(0, page.take);
  return {
    currency,
    balanceMinor: wallet.balanceMinor,
    entries,
    nextCursor: rows.rows.length > page.take ? (entries.at(-1)?.id ?? null) : null,
  };
}
