import type { CreditGrant, LedgerEntry } from "../generated/prisma/client";
import { db, type Tx } from "../core/db";
import { ConflictError, NotFoundError } from "../core/errors";
import { expiryKey, rolloverExpiryKey, voidKey } from "./keys";
import { lockWallet, removeFromGrant } from "./ledger";

// Expiry and void take a grant's remainder out of the wallet, as different entry types: EXPIRY
// happens on the grant's date, once (its key is the grant's); VOID is an admin's decision about a
// promotional grant, now, with a reason. Both take the wallet lock first and then re-read the grant,
// so they never race a spend that draws from it.

export interface GrantExpiry {
  grantId: string;
  /** What left the wallet (0 when the grant was already empty or had been handled). */
  expiredMinor: number;
  /** What a plan grant carried into the next period instead. */
  rolledOverMinor: number;
  entry: LedgerEntry | null;
}

/** A plan grant's next expiry when it rolls over: one month after the first. */
function nextPeriodEnd(expiresAt: Date): Date {
  const next = new Date(expiresAt);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}

/** The part of a grant its next expiry takes, and the part a plan grant's rollover keeps (the sweep and the wallet page agree by using this). */
export function expiryOf(grant: Pick<CreditGrant, "remainingMinor" | "rolloverCapMinor" | "rolledOverAt">): { expiringMinor: number; rollingOverMinor: number } {
  const rollingOverMinor = grant.rolloverCapMinor !== null && grant.rolledOverAt === null ? Math.min(grant.remainingMinor, grant.rolloverCapMinor) : 0;
  return { expiringMinor: grant.remainingMinor - rollingOverMinor, rollingOverMinor };
}

/** Locks the grant's wallet, then reads the grant as it is under that lock, with the wallet's owner and currency. */
async function lockGrant(tx: Tx, grantId: string): Promise<{ grant: CreditGrant; wallet: { userId: string; currency: string } }> {
  const found = await tx.creditGrant.findUnique({ where: { id: grantId }, select: { wallet: { select: { userId: true, currency: true } } } });
  if (!found) throw new NotFoundError("No such grant.");
  await lockWallet(tx, found.wallet.userId, found.wallet.currency);
  return { grant: await tx.creditGrant.findUniqueOrThrow({ where: { id: grantId } }), wallet: found.wallet };
}

/**
 * Expires one grant whose date has come, exactly once: running it again (or concurrently) finds the
 * grant already expired and writes nothing. A plan grant with a rollover cap keeps up to the cap for
 * one more period the first time, and expires the rest.
 */
export async function expireGrant(tx: Tx, grantId: string, now = new Date()): Promise<GrantExpiry> {
  const { grant, wallet } = await lockGrant(tx, grantId);
  const nothing = { grantId, expiredMinor: 0, rolledOverMinor: 0, entry: null };
  if (grant.expiredAt || grant.voidedAt || !grant.expiresAt || grant.expiresAt > now) return nothing;

  const { expiringMinor: expiredMinor, rollingOverMinor: keptMinor } = expiryOf(grant);
  const rollsOver = keptMinor > 0;
  let entry: LedgerEntry | null = null;
  if (expiredMinor > 0) {
    const result = await removeFromGrant(tx, wallet, {
      grantId,
      type: "EXPIRY",
      amountMinor: expiredMinor,
      idempotencyKey: rollsOver ? rolloverExpiryKey(grantId) : expiryKey(grantId),
      description: rollsOver ? "Plan credit expired (the rest rolled over)" : "Credit expired",
      now,
    });
    entry = result.entry;
  }
  if (rollsOver) {
    await tx.creditGrant.update({ where: { id: grantId }, data: { rolledOverAt: now, expiresAt: nextPeriodEnd(grant.expiresAt) } });
    return { grantId, expiredMinor, rolledOverMinor: keptMinor, entry };
  }
  await tx.creditGrant.update({ where: { id: grantId }, data: { expiredAt: now } });
  return { grantId, expiredMinor, rolledOverMinor: 0, entry };
}

/** Grants whose expiry has come and that still need handling, oldest first. */
export async function dueGrantIds(now: Date, limit: number): Promise<string[]> {
  const grants = await db().creditGrant.findMany({
    where: { expiresAt: { lte: now }, expiredAt: null, voidedAt: null },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    select: { id: true },
    take: limit,
  });
  return grants.map((grant) => grant.id);
}

export interface VoidGrantInput {
  grantId: string;
  /** Already checked by the caller (lib/admin/grants.ts auditReason). */
  reason: string;
  adminId: string;
  now?: Date;
}

/** An admin voids a promotional grant: its remainder leaves now (VOID), with the reason. Paid credit is refunded, never voided. */
export async function voidGrant(tx: Tx, input: VoidGrantInput): Promise<{ grant: CreditGrant; entry: LedgerEntry | null }> {
  const { reason } = input;
  const { grant, wallet } = await lockGrant(tx, input.grantId);
  if (grant.category !== "promotional") throw new ConflictError("grant_not_promotional", "Only promotional credit can be voided; paid credit is refunded through its payment.");
  if (grant.voidedAt) throw new ConflictError("grant_already_voided", "This grant was already voided.");
  if (grant.expiredAt) throw new ConflictError("grant_expired", "This grant has already expired.");
  const now = input.now ?? new Date();
  const entry =
    grant.remainingMinor > 0
      ? (
          await removeFromGrant(tx, wallet, {
            grantId: grant.id,
            type: "VOID",
            amountMinor: grant.remainingMinor,
            idempotencyKey: voidKey(grant.id),
            description: `Credit voided: ${reason}`,
            createdByAdminId: input.adminId,
            now,
          })
        ).entry
      : null;
  const voided = await tx.creditGrant.update({ where: { id: grant.id }, data: { voidedAt: now, voidReason: reason } });
  return { grant: voided, entry };
}

/** The expiry sweep: every grant whose date has come, each in its own transaction. Safe to run twice or concurrently. */
export async function expireDueGrants(now = new Date(), limit = 500): Promise<{ grants: number; expiredMinor: number; rolledOverMinor: number }> {
  const totals = { grants: 0, expiredMinor: 0, rolledOverMinor: 0 };
  for (const grantId of await dueGrantIds(now, limit)) {
    const result = await db().$transaction((tx) => expireGrant(tx, grantId, now));
    if (result.expiredMinor === 0 && result.rolledOverMinor === 0) continue;
    totals.grants += 1;
    totals.expiredMinor += result.expiredMinor;
    totals.rolledOverMinor += result.rolledOverMinor;
  }
  return totals;
}
