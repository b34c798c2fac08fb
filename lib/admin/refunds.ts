import type Stripe from "stripe";
import { db } from "../core/db";
import { AppError, ConflictError, NotFoundError, toPublicError, ValidationError } from "../core/errors";
import { log } from "../core/log";
import { formatMoney } from "../core/money";
import { createRefund, listRefundsForCharge, retrieveChargeOfPayment } from "../stripe";
import { auditReason, recordAdminAction, type AuditActor } from "./audit";

// Refunding a top-up from the console. Billfold only asks Stripe: the wallet is debited when Stripe's
// charge.refunded / charge.refund.updated come back through the webhook inbox (lib/payments/purchases/refunds.ts),
// exactly as for a refund made in Stripe's dashboard, so there is one path by which refunds move money.
//
// Once per form: the form carries a request key made when it rendered. It is Stripe's idempotency key
// (a double click or retry gets the same refund back) and it is written into the refund's metadata, so
// a retry after the first refund succeeded finds that refund instead of asking again.
//
// The audit entry is written once, after Stripe accepted the refund, with its id: the audit log is
// append-only, so an entry written before the call could not later say whether it worked. If the
// process dies between Stripe's answer and the write, the refund exists (and the wallet still follows
// it through the webhook) while its audit entry is missing until the same form is submitted again,
// which finds the refund by its metadata and writes the entry then. Stripe's refund metadata (purchase,
// admin, reason, request key) is the record in the meantime. A refund that is not made has its own
// entry (REFUND_REFUSED, with why), so an over-refund tried and refused is on the record as well.

export interface RefundTopUpInput {
  purchaseId: string;
  amountMinor: number;
  reason: string;
  requestKey: string;
  /**
   * The admin chose to refund more than is left unspent of this top-up's credit: the rest then comes
   * from the user's other credit and, past that, takes the balance negative (NEGATIVE_BALANCE_POLICY).
   */
  beyondUnspent?: boolean;
}

export interface RefundTopUpResult {
  refund: Stripe.Refund;
  /** True when this request key had already refunded: the earlier refund, nothing new asked of Stripe. */
  replayed: boolean;
  currency: string;
}

/** What Stripe says of a purchase's payment now: refunded so far, and what is left to refund. */
export interface RefundState {
  capturedMinor: number;
  refundedMinor: number;
  refundableMinor: number;
  /** What is left unspent of the credit this payment brought, less refunds Stripe has made whose events have not arrived. */
  unspentMinor: number;
  /**
   * Where a refund form's amount starts: the most it accepts as it stands (the "beyond unspent" box
   * unticked), the refundable or the unspent credit, whichever is less; 0 when all of it is spent.
   */
  suggestedMinor: number;
}

const METADATA_REQUEST_KEY = "billfoldRequestKey";

type RefundedPurchase = { id: string; refundedMinor: number };

function refundStateOf(charge: Stripe.Charge, purchase: RefundedPurchase, grantRemainingMinor: number): RefundState {
  // Refunds Stripe made that the ledger has not debited yet (their events are on the way) will take
  // from the grant when they arrive, so they are not unspent credit to refund again.
  const inFlightMinor = Math.max(0, charge.amount_refunded - purchase.refundedMinor);
  const refundableMinor = Math.max(0, charge.amount_captured - charge.amount_refunded);
  const unspentMinor = Math.max(0, grantRemainingMinor - inFlightMinor);
  return {
    capturedMinor: charge.amount_captured,
    refundedMinor: charge.amount_refunded,
    refundableMinor,
    unspentMinor,
    suggestedMinor: Math.min(refundableMinor, unspentMinor),
  };
}

/** What is left of the paid credit each purchase brought (its top-up's grant, and any reversal or release of it). */
async function grantRemainders(purchaseIds: string[]): Promise<Map<string, number>> {
  if (purchaseIds.length === 0) return new Map();
  const rows = await db().creditGrant.groupBy({
    by: ["purchaseId"],
    where: { purchaseId: { in: purchaseIds }, category: "paid" },
    _sum: { remainingMinor: true },
  });
  return new Map(rows.flatMap((row) => (row.purchaseId ? [[row.purchaseId, row._sum.remainingMinor ?? 0] as const] : [])));
}

async function paidPurchase(purchaseId: string) {
  const purchase = await db().purchase.findUnique({ where: { id: purchaseId } });
  if (!purchase) throw new NotFoundError("No such purchase.");
  if (purchase.status !== "paid") throw new ConflictError("purchase_not_paid", `Only a paid top-up can be refunded; this one is ${purchase.status}.`);
  if (!purchase.paymentIntentId) throw new ConflictError("purchase_without_payment", "This top-up has no Stripe payment to refund.");
  return { ...purchase, paymentIntentId: purchase.paymentIntentId };
}

async function chargeOf(purchase: { chargeId: string | null; paymentIntentId: string }): Promise<Stripe.Charge> {
  const charge = await retrieveChargeOfPayment(purchase);
  if (!charge) throw new ConflictError("purchase_without_charge", "Stripe has no charge for this top-up's payment.");
  return charge;
}

/** Stripe's refund state of each paid purchase (by id); a purchase Stripe could not be asked about is left out. */
export async function getRefundStates(
  purchases: Array<{ id: string; status: string; chargeId: string | null; paymentIntentId: string | null; refundedMinor: number }>,
): Promise<Map<string, RefundState>> {
  const paid = purchases.filter((purchase) => purchase.status === "paid" && purchase.paymentIntentId);
  const remainders = await grantRemainders(paid.map((purchase) => purchase.id));
  const states = await Promise.all(
    paid.map(async (purchase) => {
      try {
        const charge = await retrieveChargeOfPayment(purchase);
        return charge ? ([purchase.id, refundStateOf(charge, purchase, remainders.get(purchase.id) ?? 0)] as const) : null;
      } catch (error) {
        log.warn("refund_state_unavailable", { purchaseId: purchase.id, error: error instanceof Error ? error.message : String(error) });
        return null;
      }
    }),
  );
  return new Map(states.filter((state) => state !== null));
}

/**
 * Asks Stripe to refund `amountMinor` of a paid top-up, once per request key, and audits it. Refuses an
 * amount above what Stripe says is still refundable (refunds whose events have not arrived count).
 * A refund that is not made (refused by these checks or by Stripe, or Stripe not reached) is audited
 * too, as REFUND_REFUSED with why, and the error goes on to the form.
 */
export async function refundTopUp(admin: AuditActor, input: RefundTopUpInput): Promise<RefundTopUpResult> {
  try {
    return await makeRefund(admin, input);
  } catch (error) {
    await auditRefusedRefund(admin, input, error);
    throw error;
  }
}

async function makeRefund(admin: AuditActor, input: RefundTopUpInput): Promise<RefundTopUpResult> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw new ValidationError("The amount must be more than zero.", { field: "amount" });
  const reason = auditReason(input.reason);
  if (input.requestKey.length < 8 || input.requestKey.length > 100) throw new ValidationError("This form has expired; reload the page and try again.");

  const purchase = await paidPurchase(input.purchaseId);
  const charge = await chargeOf(purchase);
  const earlier = (await listRefundsForCharge(charge.id)).find((refund) => refund.metadata?.[METADATA_REQUEST_KEY] === input.requestKey);
  let refund: Stripe.Refund;
  if (earlier) {
    refund = earlier;
  } else {
    const { refundableMinor, unspentMinor } = refundStateOf(charge, purchase, (await grantRemainders([purchase.id])).get(purchase.id) ?? 0);
    if (input.amountMinor > refundableMinor) {
      throw new AppError("refund_exceeds_refundable", refundableMinor === 0 ? "This top-up has already been refunded in full." : "That is more than is left to refund on this top-up.", 422, {
        field: "amount",
        refundableMinor,
        currency: purchase.currency,
      });
    }
    // A refund takes back credit; by default no more than this payment's credit still unspent, so
    // refunding never quietly takes the user's other credit or pushes the balance below zero.
    if (input.amountMinor > unspentMinor && !input.beyondUnspent) {
      throw new AppError(
        "refund_exceeds_unspent",
        `Only ${formatMoney(unspentMinor, purchase.currency)} of this top-up's credit is unspent. Refund at most that, or tick “refund more than is unspent” to take the rest from the user's other credit and, past that, below zero.`,
        422,
        { field: "amount", unspentMinor, currency: purchase.currency },
      );
    }
    refund = await createRefund({
      paymentIntentId: purchase.paymentIntentId,
      amountMinor: input.amountMinor,
      metadata: { billfoldPurchaseId: purchase.id, billfoldAdminId: admin.id, billfoldReason: reason, [METADATA_REQUEST_KEY]: input.requestKey },
      idempotencyKey: `admin-refund:${input.requestKey}`,
    });
  }
  const audited = await auditRefundOnce(admin, { purchaseId: purchase.id, refund, reason, requestKey: input.requestKey, beyondUnspent: input.beyondUnspent === true });
  return { refund, replayed: earlier !== undefined || !audited, currency: purchase.currency };
}

/**
 * The audit entry of a refund that was not made: "refused" when Billfold's checks or Stripe said no
 * (a 4xx), "failed" when Stripe could not be reached or something broke, with the code and message
 * the admin was shown. A failure to write it is logged, never put in place of the refund's own error.
 */
async function auditRefusedRefund(admin: AuditActor, input: RefundTopUpInput, error: unknown): Promise<void> {
  const shown = toPublicError(error);
  const refused = shown.expected && shown.status < 500;
  const reason = input.reason.trim();
  try {
    await recordAdminAction(db(), admin, {
      action: "REFUND_REFUSED",
      targetType: "purchase",
      targetId: input.purchaseId.slice(0, 100),
      reason: reason ? reason.slice(0, 500) : null,
      details: {
        outcome: refused ? "refused" : "failed",
        code: shown.code,
        // For an unexpected error the admin saw a generic message; the audit keeps what it was.
        message: (shown.expected ? shown.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500),
        amountMinor: Number.isSafeInteger(input.amountMinor) ? input.amountMinor : null,
        requestKey: input.requestKey.slice(0, 100),
        ...(input.beyondUnspent ? { beyondUnspent: true } : {}),
        ...(typeof shown.details.stripeCode === "string" ? { stripeCode: shown.details.stripeCode } : {}),
      },
    });
  } catch (auditError) {
    log.error("refund_refusal_audit_failed", { purchaseId: input.purchaseId, error: auditError instanceof Error ? auditError.message : String(auditError) });
  }
}

/** Writes the refund's audit entry unless this request key already has one; true when it wrote. */
async function auditRefundOnce(admin: AuditActor, refund: { purchaseId: string; refund: Stripe.Refund; reason: string; requestKey: string; beyondUnspent: boolean }): Promise<boolean> {
  return db().$transaction(async (tx) => {
    // Two clicks of one form both get the refund back from Stripe; the lock makes only one of them write.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`admin-refund:${refund.requestKey}`}, 0))`;
    const existing = await tx.adminAuditEntry.findFirst({
      where: { action: "REFUND", targetType: "purchase", targetId: refund.purchaseId, details: { path: ["requestKey"], equals: refund.requestKey } },
      select: { id: true },
    });
    if (existing) return false;
    await recordAdminAction(tx, admin, {
      action: "REFUND",
      targetType: "purchase",
      targetId: refund.purchaseId,
      reason: refund.reason,
      details: {
        amountMinor: refund.refund.amount,
        currency: refund.refund.currency.toUpperCase(),
        refundId: refund.refund.id,
        requestKey: refund.requestKey,
        // Recorded only when chosen, so the entries of refunds within the unspent credit read as before.
        ...(refund.beyondUnspent ? { beyondUnspent: true } : {}),
      },
    });
    return true;
  });
}

/** Whose purchase it is and in what currency, for the refund form (null when there is no such purchase). */
export function getRefundTarget(purchaseId: string): Promise<{ userId: string; currency: string } | null> {
  return db().purchase.findUnique({ where: { id: purchaseId }, select: { userId: true, currency: true } });
}
