import type { CreditGrant, CreditGrantCategory, CreditGrantSource, LedgerEntryType } from "../generated/prisma/client";
import type { Tx } from "../core/db";

// The grants are a breakdown of the wallet's balance: every credit entry opens one grant, and every
// entry that takes money out records which grants it took it from (GrantDraw). Only lib/ledger
// calls this, under the wallet's row lock, so the grants of one wallet change one writer at a time.
//
// The breakdown always sums to max(balanceMinor, 0). A negative balance (a refund or dispute of
// credit already spent, see NEGATIVE_BALANCE_POLICY in ./ledger.ts) has no grants behind it, and
// the next credits repay it first: the repaid part is recorded as a draw by the crediting entry.

export interface GrantTerms {
  source: CreditGrantSource;
  category: CreditGrantCategory;
  /** 0–100, lower drawn first. */
  priority: number;
  expiresAt: Date | null;
  /** The payment the money came from: its refunds and disputes take from this grant first. */
  purchaseId: string | null;
  /** A plan grant's rollover cap (see CreditGrant.rolloverCapMinor). */
  rolloverCapMinor?: number | null;
}

/** Default priorities: given credit is spent before bought credit, as Lago and Orb do. */
export const GRANT_PRIORITY = { promotional: 10, plan: 20, adjustment: 30, paid: 50 } as const;

/** What a credit of each type is, unless its caller says more (an expiry, a promotional grant's priority). */
export function defaultGrantTerms(type: LedgerEntryType, purchaseId: string | null): GrantTerms {
  const paid = (source: CreditGrantSource): GrantTerms => ({ source, category: "paid", priority: GRANT_PRIORITY.paid, expiresAt: null, purchaseId });
  switch (type) {
    case "TOPUP":
      return paid("topup");
    case "REFUND_REVERSAL":
      return paid("refund_reversal");
    case "DISPUTE_RELEASE":
      return paid("dispute_release");
    case "PLAN_GRANT":
      return { source: "plan", category: "promotional", priority: GRANT_PRIORITY.plan, expiresAt: null, purchaseId: null };
    case "PROMOTIONAL":
      return { source: "promotional", category: "promotional", priority: GRANT_PRIORITY.promotional, expiresAt: null, purchaseId: null };
    case "ADJUSTMENT":
      return { source: "adjustment", category: "promotional", priority: GRANT_PRIORITY.adjustment, expiresAt: null, purchaseId: null };
    default:
      throw new Error(`${type} is not a credit`);
  }
}

/**
 * The order money leaves a wallet's grants.
 * - `spend`: priority, then the soonest expiry (never-expiring last), then the oldest.
 * - `payment`: money Stripe took back from one payment (a refund or dispute): that payment's own
 *   grants first, then other paid credit, then promotional credit, each in spend order.
 */
export type DrawOrder = { kind: "spend" } | { kind: "payment"; purchaseId: string | null };

function spendOrder(a: CreditGrant, b: CreditGrant): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const aExpiry = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry < bExpiry ? -1 : 1;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt.getTime() - b.createdAt.getTime();
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function orderGrants(grants: CreditGrant[], order: DrawOrder): CreditGrant[] {
  const sorted = [...grants].sort(spendOrder);
  if (order.kind === "spend") return sorted;
  const rank = (grant: CreditGrant) => (order.purchaseId !== null && grant.purchaseId === order.purchaseId ? 0 : grant.category === "paid" ? 1 : 2);
  return sorted.sort((a, b) => rank(a) - rank(b) || spendOrder(a, b));
}

/** The wallet's grants that still hold money (the caller holds the wallet lock). */
export function openGrants(tx: Tx, walletId: string): Promise<CreditGrant[]> {
  return tx.creditGrant.findMany({ where: { walletId, remainingMinor: { gt: 0 } } });
}

/**
 * Takes `amountMinor` from the wallet's grants in `order`, recording each draw against `entryId`.
 * The caller has checked that the grants hold that much (they sum to the positive balance).
 */
export async function drawFromGrants(tx: Tx, walletId: string, entryId: string, amountMinor: number, order: DrawOrder): Promise<void> {
  if (amountMinor <= 0) return;
  let left = amountMinor;
  for (const grant of orderGrants(await openGrants(tx, walletId), order)) {
    if (left === 0) break;
    const taken = Math.min(left, grant.remainingMinor);
    await takeFromGrant(tx, grant.id, entryId, taken);
    left -= taken;
  }
  if (left !== 0) throw new Error(`wallet ${walletId}: grants hold ${amountMinor - left} less than the ${amountMinor} to draw`);
}

/** One draw from one grant; the CHECK on remainingMinor refuses a draw past zero. */
export async function takeFromGrant(tx: Tx, grantId: string, entryId: string, amountMinor: number): Promise<void> {
  await tx.creditGrant.update({ where: { id: grantId }, data: { remainingMinor: { decrement: amountMinor } } });
  await tx.grantDraw.create({ data: { grantId, entryId, amountMinor } });
}

/**
 * Opens the grant for a credit entry. When the balance before it was negative, the credit repays
 * that first: the grant starts with what is left, and the repaid part is a draw by the credit itself.
 */
export async function openGrant(tx: Tx, walletId: string, entry: { id: string; amountMinor: number }, balanceBeforeMinor: number, terms: GrantTerms): Promise<CreditGrant> {
  const repaidMinor = Math.min(entry.amountMinor, Math.max(0, -balanceBeforeMinor));
  const grant = await tx.creditGrant.create({
    data: {
      walletId,
      entryId: entry.id,
      source: terms.source,
      category: terms.category,
      priority: terms.priority,
      expiresAt: terms.expiresAt,
      purchaseId: terms.purchaseId,
      rolloverCapMinor: terms.rolloverCapMinor ?? null,
      amountMinor: entry.amountMinor,
      remainingMinor: entry.amountMinor - repaidMinor,
    },
  });
  if (repaidMinor > 0) await tx.grantDraw.create({ data: { grantId: grant.id, entryId: entry.id, amountMinor: repaidMinor } });
  return grant;
}
