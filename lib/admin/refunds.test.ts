import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { pointStripeAtEmulator } from "@/test/emulator-deliveries";
import { db } from "../core/db";
import { AppError } from "../core/errors";
import { debit, usageKey } from "../ledger";
import { stripeEvent, walletState } from "@/test/webhook-events";

// Refunds from the console against the project's Stripe emulator, in-process: the real SDK through
// lib/stripe, the wallet debited only when the refund's event is processed by the inbox.

const emulator = await startEmulator({ port: 0 });
pointStripeAtEmulator(emulator.url, { secretKey: "sk_test_billfold_emulator" });

const { acceptEvent } = await import("../stripe-events");
const { parseStoredEvent } = await import("../stripe");
const { refundTopUp, getRefundStates } = await import("./refunds");
const { createRefund, stripeId } = await import("../stripe");

const stripe = emulatorStripe(emulator, "sk_test_billfold_emulator");

afterAll(() => emulator.close());

async function processEvent(type: string, object: object) {
  const accepted = await acceptEvent(await parseStoredEvent(JSON.stringify(stripeEvent(type, object))));
  const outcome = accepted.outcome === "deferred" ? await accepted.process() : accepted.outcome;
  expect(outcome).toBe("processed");
}

async function newAdmin() {
  const admin = await db().user.create({ data: { email: `refund-admin-${randomUUID()}@example.test`, role: "ADMIN", emailVerified: new Date() } });
  return { id: admin.id, email: admin.email };
}

/** A top-up paid with an emulated card and credited through payment_intent.succeeded. */
async function paidTopUp(amountMinor: number) {
  const user = await db().user.create({ data: { email: `refund-${randomUUID()}@example.test` } });
  const purchase = await db().purchase.create({ data: { userId: user.id, amountMinor, currency: "GBP", checkoutSessionId: `cs_test_${randomUUID()}` } });
  const paymentIntent = await stripe.paymentIntents.create({
    amount: amountMinor,
    currency: "gbp",
    payment_method: "pm_card_visa",
    confirm: true,
    metadata: { billfoldUserId: user.id, billfoldPurchaseId: purchase.id, purpose: "topup", packKey: "" },
  });
  await processEvent("payment_intent.succeeded", paymentIntent);
  expect((await walletState(user.id)).balanceMinor).toBe(amountMinor);
  const paid = await db().purchase.findUniqueOrThrow({ where: { id: purchase.id } });
  expect(paid.status).toBe("paid");
  return { userId: user.id, purchaseId: purchase.id, paymentIntentId: paymentIntent.id };
}

function refundAuditRows(purchaseId: string) {
  return db().adminAuditEntry.findMany({ where: { action: "REFUND", targetType: "purchase", targetId: purchaseId } });
}

function refusedAuditRows(purchaseId: string) {
  return db().adminAuditEntry.findMany({ where: { action: "REFUND_REFUSED", targetType: "purchase", targetId: purchaseId } });
}

describe("refundTopUp", () => {
  it("refunds once per request key, audits once, and leaves the wallet to the refund's webhook", async () => {
    const admin = await newAdmin();
    const { userId, purchaseId, paymentIntentId } = await paidTopUp(2000); // £20.00
    const input = { purchaseId, amountMinor: 500, reason: "Customer asked", requestKey: randomUUID() }; // £5.00

    const [first, second] = await Promise.all([refundTopUp(admin, input), refundTopUp(admin, input)]); // a double click
    const third = await refundTopUp(admin, input); // a retry later
    expect(second.refund.id).toBe(first.refund.id);
    expect(third.refund.id).toBe(first.refund.id);
    expect(third.replayed).toBe(true);

    const refunds = await stripe.refunds.list({ payment_intent: paymentIntentId });
    expect(refunds.data).toHaveLength(1);
    expect(refunds.data[0]).toMatchObject({ amount: 500, reason: "requested_by_customer", metadata: { billfoldPurchaseId: purchaseId, billfoldAdminId: admin.id, billfoldReason: "Customer asked" } });

    const audit = await refundAuditRows(purchaseId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ adminId: admin.id, reason: "Customer asked" });
    expect(audit[0]?.details).toEqual({ amountMinor: 500, currency: "GBP", refundId: first.refund.id, requestKey: input.requestKey });

    // Nothing moved yet: the wallet follows Stripe's event.
    expect((await walletState(userId)).balanceMinor).toBe(2000);
    const states = await getRefundStates([await db().purchase.findUniqueOrThrow({ where: { id: purchaseId } })]);
    // The £5.00 in flight is not unspent credit to refund again.
    expect(states.get(purchaseId)).toEqual({ capturedMinor: 2000, refundedMinor: 500, refundableMinor: 1500, unspentMinor: 1500, suggestedMinor: 1500 });

    // The refund's events, delivered twice: one debit.
    const chargeId = stripeId(first.refund.charge);
    if (!chargeId) throw new Error("the refund names no charge");
    const { refunds: _notSent, ...charge } = await stripe.charges.retrieve(chargeId);
    await processEvent("charge.refunded", charge);
    await processEvent("charge.refunded", charge);
    await processEvent("charge.refund.updated", first.refund);
    const state = await walletState(userId);
    expect(state.balanceMinor).toBe(1500); // £15.00
    expect(state.entries.filter((entry) => entry.type === "REFUND").map((entry) => entry.amountMinor)).toEqual([-500]);
  });

  it("refuses more than is left to refund, counting refunds whose events have not arrived", async () => {
    const admin = await newAdmin();
    const { purchaseId, paymentIntentId } = await paidTopUp(1000); // £10.00
    await refundTopUp(admin, { purchaseId, amountMinor: 700, reason: "First part", requestKey: randomUUID() }); // £7.00, no webhook yet

    const refused = await refundTopUp(admin, { purchaseId, amountMinor: 301, reason: "Too much", requestKey: randomUUID() }).catch((error: unknown) => error); // £3.01
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("refund_exceeds_refundable");
    expect((refused as AppError).details).toMatchObject({ refundableMinor: 300 });

    await refundTopUp(admin, { purchaseId, amountMinor: 300, reason: "The rest", requestKey: randomUUID() }); // £3.00
    expect((await stripe.refunds.list({ payment_intent: paymentIntentId })).data.map((refund) => refund.amount).sort()).toEqual([300, 700]);
    expect(await refundAuditRows(purchaseId)).toHaveLength(2);
  });

  it("refuses more than the top-up's unspent credit unless the admin chooses to go beyond it, and the balance then goes negative", async () => {
    const admin = await newAdmin();
    const { userId, purchaseId, paymentIntentId } = await paidTopUp(1000); // £10.00
    await db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor: 600, type: "USAGE", idempotencyKey: usageKey(userId, randomUUID()) })); // £6.00 spent
    const purchase = () => db().purchase.findUniqueOrThrow({ where: { id: purchaseId } });
    expect((await getRefundStates([await purchase()])).get(purchaseId)).toMatchObject({ refundableMinor: 1000, unspentMinor: 400, suggestedMinor: 400 });

    const refused = await refundTopUp(admin, { purchaseId, amountMinor: 500, reason: "Too much", requestKey: randomUUID() }).catch((error: unknown) => error); // £5.00
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "refund_exceeds_unspent", status: 422, details: { field: "amount", unspentMinor: 400, currency: "GBP" } });
    expect((refused as AppError).message).toContain("Only £4.00 of this top-up's credit is unspent");

    await refundTopUp(admin, { purchaseId, amountMinor: 400, reason: "The unspent part", requestKey: randomUUID() }); // £4.00, its event not here yet
    // The £4.00 in flight counts: nothing is unspent now.
    await expect(refundTopUp(admin, { purchaseId, amountMinor: 100, reason: "One more pound", requestKey: randomUUID() })).rejects.toMatchObject({ code: "refund_exceeds_unspent", details: { unspentMinor: 0 } });
    // The form starts at what it accepts as it stands (the box unticked): nothing, not the £6.00 it would refuse.
    expect((await getRefundStates([await purchase()])).get(purchaseId)).toMatchObject({ refundableMinor: 600, unspentMinor: 0, suggestedMinor: 0 });

    const beyond = await refundTopUp(admin, { purchaseId, amountMinor: 600, reason: "Chargeback averted", requestKey: randomUUID(), beyondUnspent: true }); // £6.00
    expect((await stripe.refunds.list({ payment_intent: paymentIntentId })).data.map((refund) => refund.amount).sort()).toEqual([400, 600]);
    const audit = await refundAuditRows(purchaseId);
    expect(audit.map((row) => row.details)).toEqual(
      expect.arrayContaining([expect.objectContaining({ refundId: beyond.refund.id, beyondUnspent: true }), expect.not.objectContaining({ beyondUnspent: true })]),
    );

    const chargeId = stripeId(beyond.refund.charge);
    if (!chargeId) throw new Error("the refund names no charge");
    const { refunds: _notSent, ...charge } = await stripe.charges.retrieve(chargeId);
    await processEvent("charge.refunded", charge);
    expect((await walletState(userId)).balanceMinor).toBe(-600); // £4.00 left − £10.00 refunded
  });

  it("after a crash between Stripe's answer and the audit write, the same form finds the refund and audits it once", async () => {
    const admin = await newAdmin();
    const { purchaseId, paymentIntentId } = await paidTopUp(1000); // £10.00
    const requestKey = randomUUID();
    // What the first attempt did before it died: Stripe made the refund, no audit entry was written.
    await createRefund({
      paymentIntentId,
      amountMinor: 1000,
      metadata: { billfoldPurchaseId: purchaseId, billfoldAdminId: admin.id, billfoldReason: "Crash", billfoldRequestKey: requestKey },
      idempotencyKey: `admin-refund:${requestKey}`,
    });
    expect(await refundAuditRows(purchaseId)).toHaveLength(0);

    const retried = await refundTopUp(admin, { purchaseId, amountMinor: 1000, reason: "Crash", requestKey });
    expect(retried.replayed).toBe(true);
    expect((await stripe.refunds.list({ payment_intent: paymentIntentId })).data).toHaveLength(1);
    expect(await refundAuditRows(purchaseId)).toHaveLength(1);
  });

  it("refuses a purchase that is not paid, and audits the refusal, not a refund", async () => {
    const admin = await newAdmin();
    const user = await db().user.create({ data: { email: `refund-unpaid-${randomUUID()}@example.test` } });
    const purchase = await db().purchase.create({ data: { userId: user.id, amountMinor: 1000, currency: "GBP" } });
    await expect(refundTopUp(admin, { purchaseId: purchase.id, amountMinor: 100, reason: "Not paid", requestKey: randomUUID() })).rejects.toMatchObject({ code: "purchase_not_paid" });
    expect(await refundAuditRows(purchase.id)).toHaveLength(0);
    expect(await refusedAuditRows(purchase.id)).toEqual([
      expect.objectContaining({ adminId: admin.id, adminEmail: admin.email, reason: "Not paid", details: expect.objectContaining({ outcome: "refused", code: "purchase_not_paid", amountMinor: 100 }) }),
    ]);
  });

  it("audits an over-refund it refused, with the reason, the amount and why", async () => {
    const admin = await newAdmin();
    const { purchaseId, paymentIntentId } = await paidTopUp(1000); // £10.00
    const requestKey = randomUUID();
    await expect(refundTopUp(admin, { purchaseId, amountMinor: 1001, reason: "Goodwill", requestKey })).rejects.toMatchObject({ code: "refund_exceeds_refundable" }); // £10.01
    expect((await stripe.refunds.list({ payment_intent: paymentIntentId })).data).toHaveLength(0);
    expect(await refundAuditRows(purchaseId)).toHaveLength(0);
    const [entry, ...others] = await refusedAuditRows(purchaseId);
    expect(others).toHaveLength(0);
    expect(entry).toMatchObject({ adminId: admin.id, reason: "Goodwill", targetType: "purchase" });
    expect(entry?.details).toEqual({
      outcome: "refused",
      code: "refund_exceeds_refundable",
      message: "That is more than is left to refund on this top-up.",
      amountMinor: 1001,
      requestKey,
    });
  });

  it("audits a refund Stripe refused, with Stripe's reason", async () => {
    const admin = await newAdmin();
    const { purchaseId } = await paidTopUp(1000); // £10.00
    // Billfold's record of the charge says £10.00 is refundable; Stripe's payment was already refunded in full.
    const other = await paidTopUp(1000);
    await stripe.refunds.create({ payment_intent: other.paymentIntentId });
    const charge = (await stripe.paymentIntents.retrieve((await db().purchase.findUniqueOrThrow({ where: { id: purchaseId } })).paymentIntentId ?? "")).latest_charge;
    await db().purchase.update({ where: { id: other.purchaseId }, data: { paymentIntentId: null } });
    await db().purchase.update({ where: { id: purchaseId }, data: { chargeId: stripeId(charge), paymentIntentId: other.paymentIntentId } });

    await expect(refundTopUp(admin, { purchaseId, amountMinor: 500, reason: "Stripe says no", requestKey: randomUUID() })).rejects.toMatchObject({ code: "refund_refused", status: 422 });
    expect(await refundAuditRows(purchaseId)).toHaveLength(0);
    expect(await refusedAuditRows(purchaseId)).toEqual([
      expect.objectContaining({
        reason: "Stripe says no",
        details: expect.objectContaining({ outcome: "refused", code: "refund_refused", amountMinor: 500, stripeCode: "charge_already_refunded", message: expect.stringContaining("Stripe refused the refund") }),
      }),
    ]);
  });
});
