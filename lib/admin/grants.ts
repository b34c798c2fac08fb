import type { CreditGrant, LedgerEntry } from "../generated/prisma/client";
import { db } from "../core/db";
import { ConflictError, ValidationError } from "../core/errors";
import { credit, GRANT_PRIORITY, promotionalGrantKey, voidGrant } from "../ledger";
import { assertAdminAmount, assertAdminWalletTarget } from "./adjustments";
import { auditReason, recordAdminAction, type AuditActor } from "./audit";

// Promotional credit from the console: an admin gives a user credit (a PROMOTIONAL entry whose grant
// may expire and may be drawn before or after other credit), or voids what is left of a promotional
// grant. Each is one ledger change and its audit entry in one transaction. Paid credit is never
// voided: it goes back through a refund of its payment (./refunds.ts).

export interface IssuePromotionalGrantInput {
  userId: string;
  currency: string;
  amountMinor: number;
  /** When what is left of it expires; null for never. */
  expiresAt: Date | null;
  /** 0–100, lower drawn first; GRANT_PRIORITY.promotional when omitted. */
  priority?: number | null;
  reason: string;
  /** Made when the form was rendered: the same form submitted twice grants once. */
  requestKey: string;
}

export interface PromotionalGrantResult {
  entry: LedgerEntry;
  grant: CreditGrant;
  /** False when this request key had already granted: nothing changed this time. */
  applied: boolean;
  balanceMinor: number;
}

/** "2026-12-31" → the last millisecond of that day in UTC, when a promotional grant given "until" it expires. */
export function endOfUtcDay(dateText: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateText);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999)) : null;
  // Date.UTC rolls 2026-02-30 over into March; a date that does not round-trip is not a date.
  if (!date || date.toISOString().slice(0, 10) !== dateText) throw new ValidationError("Enter the expiry as a date like 2026-12-31.", { field: "expiresOn" });
  return date;
}

export async function issuePromotionalGrant(admin: AuditActor, input: IssuePromotionalGrantInput, now = new Date()): Promise<PromotionalGrantResult> {
  assertAdminAmount(input.amountMinor);
  const reason = auditReason(input.reason);
  const priority = input.priority ?? GRANT_PRIORITY.promotional;
  if (!Number.isInteger(priority) || priority < 0 || priority > 100) throw new ValidationError("The priority is a whole number from 0 (drawn first) to 100.", { field: "priority" });
  if (input.expiresAt && input.expiresAt <= now) throw new ValidationError("The expiry must be in the future.", { field: "expiresOn" });

  return db().$transaction(async (tx) => {
    await assertAdminWalletTarget(tx, input.userId, input.currency);
    const { entry, applied } = await credit(tx, {
      userId: input.userId,
      currency: input.currency,
      amountMinor: input.amountMinor,
      type: "PROMOTIONAL",
      idempotencyKey: promotionalGrantKey(input.requestKey),
      description: reason,
      createdByAdminId: admin.id,
      grant: { source: "promotional", category: "promotional", expiresAt: input.expiresAt, priority },
      now,
    });
    const wallet = await tx.wallet.findUniqueOrThrow({ where: { userId_currency: { userId: input.userId, currency: input.currency } } });
    const grant = await tx.creditGrant.findUniqueOrThrow({ where: { entryId: entry.id } });
    if (!applied) {
      // A replayed form: the first submission's grant. A key reused for something else is a bug, not a replay.
      if (entry.walletId !== wallet.id || entry.amountMinor !== input.amountMinor) {
        throw new ConflictError("grant_key_reused", "This form was already used for a different grant. Reload the page and try again.");
      }
      return { entry, grant, applied, balanceMinor: wallet.balanceMinor };
    }
    await recordAdminAction(tx, admin, {
      action: "GRANT",
      targetType: "user",
      targetId: input.userId,
      reason,
      details: {
        grantId: grant.id,
        entryId: entry.id,
        amountMinor: input.amountMinor,
        currency: input.currency,
        expiresAt: input.expiresAt?.toISOString() ?? null,
        priority,
        balanceAfterMinor: entry.balanceAfterMinor,
      },
    });
    return { entry, grant, applied, balanceMinor: wallet.balanceMinor };
  });
}

export interface VoidPromotionalGrantResult {
  grant: CreditGrant;
  userId: string;
  currency: string;
  /** What left the wallet (0 when the grant was already used up). */
  voidedMinor: number;
  balanceMinor: number;
}

/**
 * Voids a promotional grant: what is left of it leaves the wallet now (a VOID entry in the admin's
 * name), audited with the reason. 409 grant_not_promotional for paid credit, grant_already_voided
 * for a second void (a resubmitted form), grant_expired after its expiry.
 */
export async function voidPromotionalGrant(admin: AuditActor, input: { grantId: string; reason: string }, now = new Date()): Promise<VoidPromotionalGrantResult> {
  const reason = auditReason(input.reason);
  return db().$transaction(async (tx) => {
    const { grant, entry } = await voidGrant(tx, { grantId: input.grantId, reason, adminId: admin.id, now });
    const wallet = await tx.wallet.findUniqueOrThrow({ where: { id: grant.walletId }, select: { userId: true, currency: true, balanceMinor: true } });
    const voidedMinor = entry ? -entry.amountMinor : 0;
    await recordAdminAction(tx, admin, {
      action: "VOID",
      targetType: "user",
      targetId: wallet.userId,
      reason,
      details: { grantId: grant.id, entryId: entry?.id ?? null, amountMinor: voidedMinor, currency: wallet.currency, balanceAfterMinor: wallet.balanceMinor },
    });
    return { grant, userId: wallet.userId, currency: wallet.currency, voidedMinor, balanceMinor: wallet.balanceMinor };
  });
}
