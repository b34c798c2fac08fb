import type { CreditGrant, CreditGrantCategory, CreditGrantSource, LedgerEntryType } from "../generated/prisma/client";
import { db } from "../core/db";
import { expiryOf } from "./expiry";
import { orderGrants } from "./grants";
import { planNameOfPlanCredit } from "./labels";

// The wallet's grants as people read them: where each credit came from, what is left of it, when it
// expires, and what became of it. The ledger (lib/ledger/grants.ts) writes grants; this only reads
// them, for /wallet and the admin user page.

export const GRANT_SOURCE_LABELS: Record<CreditGrantSource, string> = {
  topup: "Top-up",
  recharge: "Auto-recharge",
  plan: "Plan credit",
  promotional: "Promotional credit",
  adjustment: "Adjustment by support",
  refund_reversal: "Refund reversed",
  dispute_release: "Dispute released",
  opening_balance: "Balance before grants",
};

export const GRANT_CATEGORY_LABELS: Record<CreditGrantCategory, string> = { paid: "Paid", promotional: "Promotional" };

/**
 * What a grant is called where grants are listed. Plan credit is drawn like given credit (its category
 * is promotional, lib/ledger/grants.ts), but the person paid for it with the plan: it reads as plan
 * credit, with the plan's name when its entry gives one ("Team plan credit").
 */
function labelsOf(grant: CreditGrant, description: string | null): { planName: string | null; sourceLabel: string; kindLabel: string } {
  if (grant.source !== "plan") return { planName: null, sourceLabel: GRANT_SOURCE_LABELS[grant.source], kindLabel: GRANT_CATEGORY_LABELS[grant.category] };
  const planName = planNameOfPlanCredit(description);
  return { planName, sourceLabel: planName ? `${planName} plan credit` : GRANT_SOURCE_LABELS.plan, kindLabel: "Plan credit" };
}

/**
 * - active: holds money (a date that has passed is taken by the next sweep, within a minute);
 * - used_up: spent (or refunded) to zero;
 * - expired: some of it left on its expiry date;
 * - voided: an admin voided it (voidReason says why).
 */
export type GrantState = "active" | "used_up" | "expired" | "voided";

export const GRANT_STATE_LABELS: Record<GrantState, string> = { active: "Active", used_up: "Used up", expired: "Expired", voided: "Voided" };

export interface GrantView {
  id: string;
  source: CreditGrantSource;
  category: CreditGrantCategory;
  /** The plan a plan grant came with; null for other grants (and plan grants that name none). */
  planName: string | null;
  /** Where it came from, as people read it: "Top-up", "Team plan credit". */
  sourceLabel: string;
  /** What kind of credit it is: "Paid", "Promotional", "Plan credit". */
  kindLabel: string;
  amountMinor: number;
  remainingMinor: number;
  currency: string;
  priority: number;
  expiresAt: Date | null;
  createdAt: Date;
  state: GrantState;
  /** When it reached its state (expired or voided); null for active and used-up grants. */
  endedAt: Date | null;
  voidReason: string | null;
  /** A plan grant that carried part of itself into the next period. */
  rolledOver: boolean;
  /** A plan grant's rollover cap while its first expiry is still ahead. */
  rolloverCapMinor: number | null;
  purchaseId: string | null;
  /** How many entries drew from it (spends, refunds, an expiry or void, a repaid debt). */
  drawCount: number;
}

export interface UpcomingExpiry {
  grantId: string;
  source: CreditGrantSource;
  expiresAt: Date;
  /** What leaves on that date: the remainder, less what a plan grant's rollover keeps. */
  expiringMinor: number;
  /** What rolls over into the next period instead. */
  rollingOverMinor: number;
}

export interface UpcomingExpiries {
  currency: string;
  expiries: UpcomingExpiry[];
  totalMinor: number;
}

/** How far ahead /wallet looks for credit about to expire. */
export const UPCOMING_EXPIRY_DAYS = 30;
/** Finished grants (used up, expired, voided) listed after the active ones, newest first. */
export const PAST_GRANTS_SHOWN = 10;

const GRANT_ENDINGS: LedgerEntryType[] = ["EXPIRY", "VOID"];

function stateOf(grant: CreditGrant, expiredMinor: number): GrantState {
  if (grant.voidedAt) return "voided";
  if (grant.remainingMinor > 0) return "active";
  // The sweep marks a grant spent to zero before its date as expired too; nothing left on expiry, so it was used up.
  return grant.expiredAt && expiredMinor > 0 ? "expired" : "used_up";
}

type GrantWithEntry = CreditGrant & { entry: { description: string | null } | null };

const WITH_ENTRY = { entry: { select: { description: true } } } as const;

function viewOf(grant: GrantWithEntry, currency: string, stats: { expiredMinor: number; drawCount: number }): GrantView {
  const state = stateOf(grant, stats.expiredMinor);
  return {
    id: grant.id,
    source: grant.source,
    category: grant.category,
    ...labelsOf(grant, grant.entry?.description ?? null),
    amountMinor: grant.amountMinor,
    remainingMinor: grant.remainingMinor,
    currency,
    priority: grant.priority,
    expiresAt: grant.expiresAt,
    createdAt: grant.createdAt,
    state,
    endedAt: state === "voided" ? grant.voidedAt : state === "expired" ? grant.expiredAt : null,
    voidReason: grant.voidReason,
    rolledOver: grant.rolledOverAt !== null,
    rolloverCapMinor: grant.rolledOverAt === null ? grant.rolloverCapMinor : null,
    purchaseId: grant.purchaseId,
    drawCount: stats.drawCount,
  };
}

async function grantStats(grantIds: string[]): Promise<Map<string, { expiredMinor: number; drawCount: number }>> {
  const stats = new Map(grantIds.map((id) => [id, { expiredMinor: 0, drawCount: 0 }]));
  if (grantIds.length === 0) return stats;
  const [counts, endings] = await Promise.all([
    db().grantDraw.groupBy({ by: ["grantId"], where: { grantId: { in: grantIds } }, _count: { _all: true } }),
    db().grantDraw.groupBy({ by: ["grantId"], where: { grantId: { in: grantIds }, entry: { type: { in: GRANT_ENDINGS } } }, _sum: { amountMinor: true } }),
  ]);
  for (const row of counts) stats.get(row.grantId)!.drawCount = row._count._all;
  for (const row of endings) stats.get(row.grantId)!.expiredMinor = row._sum.amountMinor ?? 0;
  return stats;
}

/**
 * The wallet's grants: the active ones in the order spending draws from them (lib/ledger/grants.ts),
 * then up to `pastLimit` finished ones, newest first. Empty before the wallet exists.
 */
export async function listWalletGrants(userId: string, currency: string, { pastLimit = PAST_GRANTS_SHOWN }: { pastLimit?: number } = {}): Promise<GrantView[]> {
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency } }, select: { id: true } });
  if (!wallet) return [];
  const [active, past] = await Promise.all([
    db().creditGrant.findMany({ where: { walletId: wallet.id, remainingMinor: { gt: 0 }, voidedAt: null }, include: WITH_ENTRY }),
    db().creditGrant.findMany({
      where: { walletId: wallet.id, OR: [{ remainingMinor: 0 }, { voidedAt: { not: null } }] },
      include: WITH_ENTRY,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: pastLimit,
    }),
  ]);
  const byId = new Map(active.map((grant) => [grant.id, grant]));
  const grants = [...orderGrants(active, { kind: "spend" }).map((grant) => byId.get(grant.id)!), ...past];
  const stats = await grantStats(grants.map((grant) => grant.id));
  return grants.map((grant) => viewOf(grant, currency, stats.get(grant.id)!));
}

/** Every grant of a user, in every currency, newest first, for the admin user page. */
export async function listUserGrantsForAdmin(userId: string, take = 100): Promise<GrantView[]> {
  const grants = await db().creditGrant.findMany({
    where: { wallet: { userId } },
    include: { wallet: { select: { currency: true } }, ...WITH_ENTRY },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
  });
  const stats = await grantStats(grants.map((grant) => grant.id));
  return grants.map((grant) => viewOf(grant, grant.wallet.currency, stats.get(grant.id)!));
}

/**
 * Credit that leaves the wallet within `days` (by default 30), soonest first, with the total. A date
 * already passed is included: the next sweep takes it. A plan grant whose rollover keeps all of it
 * expires nothing on its date and is left out.
 */
export async function getUpcomingExpiries(userId: string, currency: string, { now = new Date(), days = UPCOMING_EXPIRY_DAYS }: { now?: Date; days?: number } = {}): Promise<UpcomingExpiries> {
  const horizon = new Date(now.getTime() + days * 86_400_000);
  const grants = await db().creditGrant.findMany({
    where: { wallet: { userId, currency }, remainingMinor: { gt: 0 }, voidedAt: null, expiredAt: null, expiresAt: { not: null, lte: horizon } },
    orderBy: [{ expiresAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  const expiries: UpcomingExpiry[] = [];
  for (const grant of grants) {
    const { expiringMinor, rollingOverMinor } = expiryOf(grant);
    if (expiringMinor <= 0 || !grant.expiresAt) continue;
    expiries.push({ grantId: grant.id, source: grant.source, expiresAt: grant.expiresAt, expiringMinor, rollingOverMinor });
  }
  return { currency, expiries, totalMinor: expiries.reduce((sum, expiry) => sum + expiry.expiringMinor, 0) };
}

export interface NegativeBalanceCause {
  type: LedgerEntryType;
  amountMinor: number;
  description: string | null;
  stripeObjectId: string | null;
  createdAt: Date;
}

export interface NegativeBalance {
  currency: string;
  balanceMinor: number;
  /** The entry that took the balance from zero or more to below zero (a refund or dispute); null if none is found. */
  cause: NegativeBalanceCause | null;
}

/** Why the wallet is below zero, when it is; null when the balance is zero or more. */
export async function getNegativeBalance(userId: string, currency: string): Promise<NegativeBalance | null> {
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency } }, select: { id: true, balanceMinor: true } });
  if (!wallet || wallet.balanceMinor >= 0) return null;
  // The crossing: the first entry after the last one that left the balance at zero or more.
  const lastNonNegative = await db().ledgerEntry.findFirst({
    where: { walletId: wallet.id, balanceAfterMinor: { gte: 0 } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { createdAt: true, id: true },
  });
  const cause = await db().ledgerEntry.findFirst({
    where: {
      walletId: wallet.id,
      ...(lastNonNegative
        ? { OR: [{ createdAt: { gt: lastNonNegative.createdAt } }, { createdAt: lastNonNegative.createdAt, id: { gt: lastNonNegative.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { type: true, amountMinor: true, description: true, stripeObjectId: true, createdAt: true },
  });
  return { currency, balanceMinor: wallet.balanceMinor, cause: cause ?? null };
}
