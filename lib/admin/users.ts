import { emailContains } from "./email-match";
import type { LedgerEntryType, PurchaseDisputeStatus, PurchaseStatus, Role, SubscriptionStatus } from "../generated/prisma/client";
import { getEffectivePlan, getEffectivePlans } from "../billing";
import { db, type Prisma } from "../core/db";
import { effectiveRole } from "../accounts";
import { afterCursor, decodeCursor, pageOf } from "./cursor";

// What an admin sees of users: a searchable list, and one user's money (wallets, plan, recent ledger
// entries, top-ups). Read-only; adjustments and refunds live in adjustments.ts and refunds.ts.

export const USERS_PAGE_SIZE = 50;
export const RECENT_ENTRIES = 20;
const RECENT_PURCHASES = 20;

export interface WalletBalance {
  currency: string;
  balanceMinor: number;
}

export interface AdminUserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  planName: string;
  subscriptionStatus: SubscriptionStatus | null;
  stripeCustomerId: string | null;
  wallets: WalletBalance[];
  createdAt: Date;
}

/** What both the list and the detail page read of a user. */
const USER_SUMMARY = {
  id: true,
  email: true,
  name: true,
  role: true,
  emailVerified: true,
  stripeCustomerId: true,
  createdAt: true,
  wallets: { select: { currency: true, balanceMinor: true }, orderBy: { currency: "asc" } },
} as const satisfies Prisma.UserSelect;

/**
 * One page of users, newest first, by keyset on (createdAt, id). `query` is a case-insensitive
 * substring of the email (ILIKE, lib/admin/email-match.ts, as the transaction filter): a sequential scan, fine for thousands of users; at millions it would
 * want a pg_trgm index.
 */
export async function searchUsers(options: { query?: string; after?: string | null; take?: number } = {}) {
  const take = options.take ?? USERS_PAGE_SIZE;
  const cursor = decodeCursor(options.after);
  const query = options.query?.trim();
  const rows = await db().user.findMany({
    where: {
      ...(query ? { email: emailContains(query) } : {}),
      ...afterCursor("createdAt", cursor),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: USER_SUMMARY,
  });
  const { items, nextCursor } = pageOf(rows, take, (row) => row.createdAt);
  const plans = await getEffectivePlans(items.map((user) => user.id));
  const users: AdminUserRow[] = items.map((user) => {
    const effective = plans.get(user.id);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: effectiveRole(user),
      planName: effective?.plan.name ?? "—",
      subscriptionStatus: effective?.subscription?.status ?? null,
      stripeCustomerId: user.stripeCustomerId,
      wallets: user.wallets,
      createdAt: user.createdAt,
    };
  });
  return { users, nextCursor };
}

export interface AdminLedgerEntry {
  id: string;
  currency: string;
  type: LedgerEntryType;
  amountMinor: number;
  balanceAfterMinor: number;
  description: string | null;
  stripeObjectId: string | null;
  createdByAdminId: string | null;
  createdAt: Date;
}

export interface AdminPurchase {
  id: string;
  packKey: string | null;
  amountMinor: number;
  currency: string;
  status: PurchaseStatus;
  failureMessage: string | null;
  refundedMinor: number;
  disputeStatus: PurchaseDisputeStatus | null;
  disputedMinor: number;
  paymentIntentId: string | null;
  chargeId: string | null;
  paidAt: Date | null;
  createdAt: Date;
}

export interface AdminUserDetail {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  stripeCustomerId: string | null;
  createdAt: Date;
  wallets: WalletBalance[];
  planName: string;
  subscription: { status: SubscriptionStatus; stripeSubscriptionId: string; currentPeriodEnd: Date | null; cancelAtPeriodEnd: boolean } | null;
  recentEntries: AdminLedgerEntry[];
  purchases: AdminPurchase[];
}

/** One user's money as the admin detail page shows it, or null for an unknown id. */
export async function getAdminUserDetail(userId: string): Promise<AdminUserDetail | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: USER_SUMMARY,
  });
  if (!user) return null;
  const [effective, entries, purchases] = await Promise.all([
    getEffectivePlan(user.id),
    // Newest first across the user's wallets; each wallet's rows come off its (walletId, createdAt, id) index.
    db().ledgerEntry.findMany({
      where: { wallet: { userId: user.id } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT_ENTRIES,
      select: {
        id: true,
        type: true,
        amountMinor: true,
        balanceAfterMinor: true,
        description: true,
        stripeObjectId: true,
        createdByAdminId: true,
        createdAt: true,
        wallet: { select: { currency: true } },
      },
    }),
    db().purchase.findMany({
      where: { userId: user.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT_PURCHASES,
      select: {
        id: true,
        packKey: true,
        amountMinor: true,
        currency: true,
        status: true,
        failureMessage: true,
        refundedMinor: true,
        disputeStatus: true,
        disputedMinor: true,
        paymentIntentId: true,
        chargeId: true,
        paidAt: true,
        createdAt: true,
      },
    }),
  ]);
  const subscription = effective.subscription;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: effectiveRole(user),
    stripeCustomerId: user.stripeCustomerId,
    createdAt: user.createdAt,
    wallets: user.wallets,
    planName: effective.plan.name,
    subscription: subscription
      ? {
          status: subscription.status,
          stripeSubscriptionId: subscription.id,
          currentPeriodEnd: subscription.currentPeriodEnd,
          cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
        }
      : null,
    recentEntries: entries.map(({ wallet, ...entry }) => ({ ...entry, currency: wallet.currency })),
    purchases,
  };
}
