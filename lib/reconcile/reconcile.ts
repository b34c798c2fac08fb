import Stripe from "stripe";
import { db } from "../core/db";
import { ServiceUnavailableError } from "../core/errors";
import { formatMoney } from "../core/money";
import {
  listCompletedCheckoutSessions,
  listDisputes,
  listPaymentIntents,
  listRefunds,
  retrieveCheckoutSessionForReconciliation,
  retrieveDisputeForReconciliation,
  retrievePaymentIntentForReconciliation,
  retrieveRefundForReconciliation,
} from "../stripe";
import {
  chargeMismatchOf,
  chargeOfSession,
  expectedForDispute,
  expectedForRecharge,
  expectedForRefund,
  expectedForSession,
  isReconciledType,
  RECONCILED_TYPES,
  stripeObjectOfKey,
  type ExpectedEntry,
  type ReconciledType,
} from "./expectations";

// Reconciliation: Stripe's view of money against the ledger, for one range of time.
//
// The range rule:
// - Stripe's side is every object *created* in [from, to): paid top-up Checkout Sessions (with
//   their charge, to cross-check the amount), succeeded auto-recharge PaymentIntents (keyed
//   recharge:<purchase>), refunds and disputes. Each names the ledger entries
//   it must have produced by key (topup:<cs>, refund:<re>, dispute_hold:<dp> …), and those are
//   looked up by key whatever the entries' own times: a session paid at the range's edge whose
//   credit was written seconds (or, after a backfill, days) later still matches.
// - The ledger's side is every entry of those types *written* in [from, to). An entry whose Stripe
//   object was not in the lists (created before `from`, or just across `to` by clock skew) is
//   fetched from Stripe by id, so no time slack is needed: it is "extra" only when Stripe does not
//   know the object, or knows it in a state that moves no money (a refund still pending).
// Plan grants (PLAN_GRANT, from subscription invoices) are not reconciled here.

export interface ReconcileRange {
  from: Date;
  to: Date;
}

export interface Discrepancy {
  idempotencyKey: string;
  type: ReconciledType;
  stripeObjectId: string;
  userId: string | null;
  userEmail: string | null;
  /** What Stripe implies the entry holds (signed minor units); null for an extra entry. */
  expectedMinor: number | null;
  /** What the ledger holds; null for a missing entry. */
  actualMinor: number | null;
  currency: string;
  reason: string;
}

export interface ReconciliationReport {
  range: ReconcileRange;
  /** Stripe has it, the ledger does not. */
  missing: Discrepancy[];
  /** The ledger has it, Stripe does not (or not in a state that moves money). */
  extra: Discrepancy[];
  /** Both have it, with another amount or currency (including a charge that disagrees with its session). */
  mismatched: Discrepancy[];
  checked: { checkoutSessions: number; charges: number; refunds: number; disputes: number; ledgerEntries: number; fetchedById: number };
}

export function isClean(report: Pick<ReconciliationReport, "missing" | "extra" | "mismatched">): boolean {
  return report.missing.length === 0 && report.extra.length === 0 && report.mismatched.length === 0;
}

interface LedgerRow {
  idempotencyKey: string;
  type: string;
  amountMinor: number;
  stripeObjectId: string | null;
  createdAt: Date;
  wallet: { userId: string; currency: string };
}

const LEDGER_SELECT = { idempotencyKey: true, type: true, amountMinor: true, stripeObjectId: true, createdAt: true, wallet: { select: { userId: true, currency: true } } } as const;
/** Keys per `IN (…)` lookup, well under PostgreSQL's bind-parameter limit. */
const KEY_BATCH = 1000;

async function ledgerEntriesByKey(keys: string[]): Promise<Map<string, LedgerRow>> {
  const found = new Map<string, LedgerRow>();
  for (let start = 0; start < keys.length; start += KEY_BATCH) {
    const rows = await db().ledgerEntry.findMany({ where: { idempotencyKey: { in: keys.slice(start, start + KEY_BATCH) } }, select: LEDGER_SELECT });
    for (const row of rows) found.set(row.idempotencyKey, row);
  }
  return found;
}

/** Stripe unreachable or refusing the key: a 503 with a message an operator can act on, never a crash. */
function stripeUnavailable(error: unknown): never {
  if (error instanceof Stripe.errors.StripeError) {
    throw new ServiceUnavailableError("stripe_unavailable", `Stripe could not be reached or refused the request (${error.type}: ${error.message}). Nothing was compared.`);
  }
  throw error;
}

export async function fromStripe<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    return stripeUnavailable(error);
  }
}

/** The Stripe object behind a ledger key, fetched by id, as the expectations it implies; null when Stripe has none. */
async function expectationsOfObject(key: string): Promise<ExpectedEntry[] | null> {
  const object = stripeObjectOfKey(key);
  if (!object) return null;
  if (object.kind === "checkout_session") {
    const session = await fromStripe(retrieveCheckoutSessionForReconciliation(object.id));
    if (!session) return null;
    const expected = expectedForSession(session);
    return expected ? [expected] : [];
  }
  if (object.kind === "recharge_purchase") {
    const purchase = await db().purchase.findUnique({ where: { id: object.id }, select: { paymentIntentId: true } });
    const paymentIntent = purchase?.paymentIntentId ? await fromStripe(retrievePaymentIntentForReconciliation(purchase.paymentIntentId)) : null;
    if (!paymentIntent) return null;
    const expected = expectedForRecharge(paymentIntent);
    return expected ? [expected] : [];
  }
  if (object.kind === "refund") {
    const refund = await fromStripe(retrieveRefundForReconciliation(object.id));
    return refund ? expectedForRefund(refund) : null;
  }
  const dispute = await fromStripe(retrieveDisputeForReconciliation(object.id));
  return dispute ? expectedForDispute(dispute) : null;
}

function compare(expected: ExpectedEntry, actual: LedgerRow): string | null {
  const problems: string[] = [];
  if (actual.amountMinor !== expected.amountMinor) problems.push(`amount ${formatMoney(actual.amountMinor, actual.wallet.currency)} in the ledger, ${formatMoney(expected.amountMinor, expected.currency)} at Stripe`);
  if (actual.wallet.currency !== expected.currency) problems.push(`currency ${actual.wallet.currency} in the ledger, ${expected.currency} at Stripe`);
  return problems.length > 0 ? problems.join("; ") : null;
}

/** Compares Stripe with the ledger for the range (see the rule above). Throws ServiceUnavailableError when Stripe cannot be read. */
export async function reconcile(range: ReconcileRange): Promise<ReconciliationReport> {
  const [sessions, refunds, disputes, paymentIntents] = await fromStripe(
    Promise.all([listCompletedCheckoutSessions(range), listRefunds(range), listDisputes(range), listPaymentIntents(range)]),
  );

  const stripeSide: ExpectedEntry[] = [];
  const chargeMismatches: Array<{ expected: ExpectedEntry; actualMinor: number | null; reason: string }> = [];
  let charges = 0;
  for (const session of sessions) {
    const expected = expectedForSession(session);
    if (!expected) continue;
    stripeSide.push(expected);
    const charge = chargeOfSession(session);
    if (charge) charges++;
    const chargeMismatch = chargeMismatchOf(expected, charge);
    if (chargeMismatch) chargeMismatches.push({ expected, ...chargeMismatch });
  }
  const topUpSessions = stripeSide.length;
  stripeSide.push(...paymentIntents.map(expectedForRecharge).filter((expected) => expected !== null));
  const billfoldRefunds = refunds.map(expectedForRefund).filter((entries) => entries.length > 0);
  const billfoldDisputes = disputes.map(expectedForDispute).filter((entries) => entries.length > 0);
  stripeSide.push(...billfoldRefunds.flat(), ...billfoldDisputes.flat());

  const ledgerSide = await db().ledgerEntry.findMany({
    where: { type: { in: [...RECONCILED_TYPES] }, createdAt: { gte: range.from, lt: range.to } },
    select: LEDGER_SELECT,
  });
  const expectedKeys = new Set(stripeSide.map((entry) => entry.idempotencyKey));
  // Entries written in the range for objects created outside it: asked of Stripe one by one.
  const unlisted = ledgerSide.filter((entry) => !expectedKeys.has(entry.idempotencyKey));
  const fetched: ExpectedEntry[] = [];
  const unknownToStripe = new Set<string>();
  const fetchedObjects = new Set<string>();
  for (const entry of unlisted) {
    const object = stripeObjectOfKey(entry.idempotencyKey);
    if (object && fetchedObjects.has(object.id)) continue;
    if (object) fetchedObjects.add(object.id);
    const expectations = await expectationsOfObject(entry.idempotencyKey);
    if (expectations === null) unknownToStripe.add(object?.id ?? entry.idempotencyKey);
    else fetched.push(...expectations);
  }

  const ledger = await ledgerEntriesByKey([...new Set([...stripeSide, ...fetched].flatMap((entry) => [entry.idempotencyKey, entry.onlyIfLedgerHas ?? entry.idempotencyKey]))]);
  for (const entry of ledgerSide) ledger.set(entry.idempotencyKey, entry);

  const missing: Discrepancy[] = [];
  const mismatched: Discrepancy[] = [];
  const extra: Discrepancy[] = [];
  const applies = (expected: ExpectedEntry) => !expected.onlyIfLedgerHas || ledger.has(expected.onlyIfLedgerHas);
  const emails = await emailsOf([...stripeSide, ...fetched].map((entry) => entry.userId).concat(ledgerSide.map((entry) => entry.wallet.userId)));
  const discrepancy = (expected: ExpectedEntry | null, actual: LedgerRow | null, reason: string, key: string, type: ReconciledType, stripeObjectId: string): Discrepancy => {
    const userId = actual?.wallet.userId ?? expected?.userId ?? null;
    return {
      idempotencyKey: key,
      type,
      stripeObjectId,
      userId,
      userEmail: userId ? (emails.get(userId) ?? null) : null,
      expectedMinor: expected?.amountMinor ?? null,
      actualMinor: actual?.amountMinor ?? null,
      currency: actual?.wallet.currency ?? expected?.currency ?? "",
      reason,
    };
  };

  // Missing and mismatched: only objects created in the range decide what is missing.
  for (const expected of stripeSide) {
    if (!applies(expected)) continue;
    const actual = ledger.get(expected.idempotencyKey);
    if (!actual) {
      missing.push(discrepancy(expected, null, `No ${expected.type} entry for ${expected.stripeObjectId}.`, expected.idempotencyKey, expected.type, expected.stripeObjectId));
      continue;
    }
    const problem = compare(expected, actual);
    if (problem) mismatched.push(discrepancy(expected, actual, problem, expected.idempotencyKey, expected.type, expected.stripeObjectId));
  }
  for (const { expected, actualMinor, reason } of chargeMismatches) {
    mismatched.push({ ...discrepancy(expected, null, reason, expected.idempotencyKey, "TOPUP", expected.stripeObjectId), actualMinor });
  }

  // Extra, and mismatches of entries whose object was fetched by id.
  const fetchedByKey = new Map(fetched.filter(applies).map((entry) => [entry.idempotencyKey, entry]));
  for (const entry of unlisted) {
    const type = entry.type;
    if (!isReconciledType(type)) continue; // selected with `type IN RECONCILED_TYPES`
    const object = stripeObjectOfKey(entry.idempotencyKey);
    const stripeObjectId = object?.id ?? entry.stripeObjectId ?? entry.idempotencyKey;
    const expected = fetchedByKey.get(entry.idempotencyKey);
    if (expected) {
      const problem = compare(expected, entry);
      if (problem) mismatched.push(discrepancy(expected, entry, problem, entry.idempotencyKey, type, stripeObjectId));
      continue;
    }
    const reason = unknownToStripe.has(stripeObjectId)
      ? `Stripe has no ${object?.kind.replace("_", " ") ?? "object"} ${stripeObjectId}.`
      : `Stripe's ${stripeObjectId} does not call for a ${type} entry (not paid, pending, not Billfold's, or not won).`;
    extra.push(discrepancy(null, entry, reason, entry.idempotencyKey, type, stripeObjectId));
  }

  return {
    range,
    missing,
    extra,
    mismatched,
    checked: {
      checkoutSessions: topUpSessions,
      charges,
      refunds: billfoldRefunds.length,
      disputes: billfoldDisputes.length,
      ledgerEntries: ledgerSide.length,
      fetchedById: fetchedObjects.size,
    },
  };
}

async function emailsOf(userIds: Array<string | null>): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const users = await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  return new Map(users.flatMap((user) => (user.email ? [[user.id, user.email] as const] : [])));
}
