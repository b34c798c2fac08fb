import type { LedgerEntryType } from "../generated/prisma/client";
import { db } from "../db";

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

/** A user's wallet and one page of its history, newest first. A wallet not yet created reads as empty. */
export async function getWalletView(userId: string, currency: string, page: { take: number; cursor?: string }): Promise<WalletView> {
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency } } });
  if (!wallet) return { currency, balanceMinor: 0, entries: [], nextCursor: null };
  const rows = await db().ledgerEntry.findMany({
    where: { walletId: wallet.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.take + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    select: { id: true, type: true, amountMinor: true, balanceAfterMinor: true, description: true, stripeObjectId: true, createdAt: true },
  });
  const entries = rows.slice(0, page.take);
  return {
    currency: wallet.currency,
    balanceMinor: wallet.balanceMinor,
    entries,
    nextCursor: rows.length > page.take ? (entries.at(-1)?.id ?? null) : null,
  };
}
