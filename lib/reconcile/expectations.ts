import type Stripe from "stripe";
import type { LedgerEntryType } from "../generated/prisma/client";
import { formatMoney } from "../core/money";
import { disputeHoldKey, disputeReleaseKey, rechargeKey, refundKey, refundReversalKey, topUpKey } from "../ledger";
import { isRechargePaymentIntent } from "../payments/recharges";
import { billfoldPurchaseIdOf, isTopUpSession } from "../payments/purchases";

// What the ledger must hold for each Stripe object, by the same keys the webhook handlers write
// (lib/ledger/keys.ts) and by the same rules (lib/payments/purchases): a paid top-up session credits its
// amount_total once; a succeeded refund debits its amount; a refund that failed or was canceled
// after its debit is credited back; a dispute holds its amount, released when won.

/** The ledger entry types reconciliation compares with Stripe. PLAN_GRANT (from invoices) is left out. */
export const RECONCILED_TYPES = ["TOPUP", "REFUND", "REFUND_REVERSAL", "DISPUTE_HOLD", "DISPUTE_RELEASE"] as const satisfies readonly LedgerEntryType[];
export type ReconciledType = (typeof RECONCILED_TYPES)[number];

export interface ExpectedEntry {
  idempotencyKey: string;
  type: ReconciledType;
  /** The Stripe object the entry is about (session, refund or dispute). */
  stripeObjectId: string;
  userId: string | null;
  /** Signed, as in the ledger: credits positive, debits negative. */
  amountMinor: number;
  /** Upper-case ISO code, as the ledger stores it. */
  currency: string;
  /**
   * Expected only when the ledger has the entry with this key: a failed refund was debited (and
   * must be credited back) only if its debit was ever applied. Absent: always expected.
   */
  onlyIfLedgerHas?: string;
}

// The same statuses lib/payments/purchases/refunds.ts and disputes.ts act on.
const UNDONE_REFUND_STATUSES: ReadonlySet<string> = new Set(["failed", "canceled"]);
const RELEASED_DISPUTE_STATUSES: ReadonlySet<string> = new Set(["won", "warning_closed", "prevented"]);

function expandedCharge(charge: string | Stripe.Charge | null): Stripe.Charge | null {
  return charge !== null && typeof charge === "object" ? charge : null;
}

/** The top-up credit a paid Checkout Session must have made; null when the session is not a paid Billfold top-up. */
export function expectedForSession(session: Stripe.Checkout.Session): ExpectedEntry | null {
  if (!isTopUpSession(session) || !billfoldPurchaseIdOf(session.metadata)) return null;
  if (session.payment_status !== "paid" || session.amount_total === null || session.currency === null) return null;
  return {
    idempotencyKey: topUpKey(session.id),
    type: "TOPUP",
    stripeObjectId: session.id,
    userId: session.metadata?.billfoldUserId || null,
    amountMinor: session.amount_total,
    currency: session.currency.toUpperCase(),
  };
}

/** The credit a succeeded auto-recharge PaymentIntent must have made (keyed by its purchase); null for any other PaymentIntent. */
export function expectedForRecharge(paymentIntent: Stripe.PaymentIntent): ExpectedEntry | null {
  const purchaseId = billfoldPurchaseIdOf(paymentIntent.metadata);
  if (!purchaseId || !isRechargePaymentIntent(paymentIntent) || paymentIntent.status !== "succeeded") return null;
  return {
    idempotencyKey: rechargeKey(purchaseId),
    type: "TOPUP",
    stripeObjectId: paymentIntent.id,
    userId: paymentIntent.metadata.billfoldUserId || null,
    amountMinor: paymentIntent.amount_received,
    currency: paymentIntent.currency.toUpperCase(),
  };
}

/** The latest charge of a session's PaymentIntent, when Stripe sent them expanded. */
export function chargeOfSession(session: Stripe.Checkout.Session): Stripe.Charge | null {
  const paymentIntent = session.payment_intent !== null && typeof session.payment_intent === "object" ? session.payment_intent : null;
  return expandedCharge(paymentIntent?.latest_charge ?? null);
}

/** Why the session's charge does not agree with its top-up (not succeeded, another amount or currency); null when it does. */
export function chargeMismatchOf(expected: ExpectedEntry, charge: Stripe.Charge | null): { actualMinor: number | null; reason: string } | null {
  if (!charge) return { actualMinor: null, reason: "The paid session has no charge." };
  if (charge.status !== "succeeded") return { actualMinor: null, reason: `Its charge ${charge.id} is ${charge.status}.` };
  if (charge.amount !== expected.amountMinor || charge.currency.toUpperCase() !== expected.currency) {
    return { actualMinor: charge.amount, reason: `Its charge ${charge.id} is for ${formatMoney(charge.amount, charge.currency.toUpperCase())}, the session for ${formatMoney(expected.amountMinor, expected.currency)}.` };
  }
  return null;
}

export function isReconciledType(type: string): type is ReconciledType {
  return (RECONCILED_TYPES as readonly string[]).includes(type);
}

/** Billfold's purchase and user behind a refund's or dispute's charge; null when the charge is someone else's. */
function billfoldChargeOf(object: { charge: string | Stripe.Charge | null }): { userId: string | null } | null {
  const charge = expandedCharge(object.charge);
  if (!charge || !billfoldPurchaseIdOf(charge.metadata)) return null;
  return { userId: charge.metadata.billfoldUserId || null };
}

export function expectedForRefund(refund: Stripe.Refund): ExpectedEntry[] {
  const owner = billfoldChargeOf(refund);
  if (!owner) return [];
  const base = { stripeObjectId: refund.id, userId: owner.userId, currency: refund.currency.toUpperCase() };
  const debit: ExpectedEntry = { ...base, idempotencyKey: refundKey(refund.id), type: "REFUND", amountMinor: -refund.amount };
  if (refund.status === "succeeded") return [debit];
  if (refund.status === null || !UNDONE_REFUND_STATUSES.has(refund.status)) return [];
  // Failed or canceled: moved nothing if it never succeeded, else debited and credited back.
  return [
    { ...debit, onlyIfLedgerHas: debit.idempotencyKey },
    { ...base, idempotencyKey: refundReversalKey(refund.id), type: "REFUND_REVERSAL", amountMinor: refund.amount, onlyIfLedgerHas: debit.idempotencyKey },
  ];
}

export function expectedForDispute(dispute: Stripe.Dispute): ExpectedEntry[] {
  const owner = billfoldChargeOf(dispute);
  if (!owner) return [];
  const base = { stripeObjectId: dispute.id, userId: owner.userId, currency: dispute.currency.toUpperCase() };
  const hold: ExpectedEntry = { ...base, idempotencyKey: disputeHoldKey(dispute.id), type: "DISPUTE_HOLD", amountMinor: -dispute.amount };
  if (!RELEASED_DISPUTE_STATUSES.has(dispute.status)) return [hold];
  return [hold, { ...base, idempotencyKey: disputeReleaseKey(dispute.id), type: "DISPUTE_RELEASE", amountMinor: dispute.amount }];
}

/** Which kind of Stripe object a reconciled ledger key names, and its id; null for keys of other effects. */
export function stripeObjectOfKey(key: string): { kind: "checkout_session" | "refund" | "dispute" | "recharge_purchase"; id: string } | null {
  const prefixes = [
    [topUpKey(""), "checkout_session"],
    // A recharge's key names its Billfold purchase, which knows the PaymentIntent.
    [rechargeKey(""), "recharge_purchase"],
    [refundReversalKey(""), "refund"],
    [refundKey(""), "refund"],
    [disputeHoldKey(""), "dispute"],
    [disputeReleaseKey(""), "dispute"],
  ] as const;
  for (const [prefix, kind] of prefixes) {
    if (key.startsWith(prefix) && key.length > prefix.length) return { kind, id: key.slice(prefix.length) };
  }
  return null;
}
