import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe, postForm } from "@billfold/stripe-emulator/testing";
import { db } from "../../core/db";
import { pointStripeAtEmulator, settledDeliveries as settled, startDeliveryForwarder } from "@/test/emulator-deliveries";
import { stripeEvent, webhookRoute } from "@/test/webhook-events";

// Auto-recharge end to end with nothing faked but the browser: cards are saved through the emulator's
// hosted setup page, recharges are charged off-session through lib/stripe, and the emulator delivers
// the signed events (duplicated and shuffled) to the real webhook route, which credits them.

vi.mock("next/server", async (importOriginal) => (await import("@/test/emulator-deliveries")).withQueuedAfter(await importOriginal<object>()));

const forwarder = await startDeliveryForwarder((body, signature) => webhook.post(body, signature));
const WEBHOOK_SECRET = "whsec_test_recharges_0123456789";
const emulator = await startEmulator({
  port: 0,
  webhookEndpoints: [{ url: forwarder.url, secret: WEBHOOK_SECRET }],
  retrySpeedup: 1000,
  chaos: { seed: 131313, duplicateRate: 0.3, shuffle: true, maxDelayMs: 10 },
});
const SECRET_KEY = "sk_test_billfold_recharges";
pointStripeAtEmulator(emulator.url, { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
const stripe = emulatorStripe(emulator, SECRET_KEY);

const webhook = await webhookRoute();
const { acceptEvent } = await import("../../stripe-events");
const { parseStoredEvent } = await import("../../stripe");
const { adjustmentKey, credit, rechargeKey } = await import("../../ledger");
const { findLedgerViolations } = await import("../../ledger/invariants");
const { spendCredits } = await import("../../usage/spend");
const { runCreditSweep } = await import("../../usage/credit-sweep");
const { cancelCardSetup, completeCardSetup, getAutoRecharge, getAutoRechargeView, startCardSetup, startPendingRecharges, updateAutoRecharge } = await import("./index");

afterAll(async () => {
  await emulator.close();
  await forwarder.close();
});

const settledDeliveries = () => settled(emulator.url, ["succeeded", "failed"], 15_000);

const CARD_OK = "4242424242424242";
const CARD_AUTH_REQUIRED = "4000002760003184";
const CARD_DECLINED = "4000000000000341";

/** A user whose wallet holds `balanceMinor` of credit from an adjustment (through the ledger, so every invariant holds). */
async function fundedUser(balanceMinor: number) {
  const user = await db().user.create({ data: { email: `recharge-${randomUUID()}@example.test` } });
  await db().$transaction((tx) =>
    credit(tx, { userId: user.id, currency: "GBP", amountMinor: balanceMinor, type: "ADJUSTMENT", idempotencyKey: adjustmentKey(randomUUID()) }),
  );
  return user.id;
}

/** Saves a card on the emulator's hosted setup page (through 3-D Secure when the card asks), as a person would. */
async function saveCard(userId: string, cardNumber: string) {
  const setup = await startCardSetup(userId);
  let response = await postForm(`${setup.url}/pay`, { card_number: cardNumber });
  if (response.status === 200) response = await postForm(`${setup.url}/pay`, { card_number: cardNumber, authenticated: "true" });
  expect(response.status).toBe(303);
  await settledDeliveries();
  return setup;
}

async function enabledUser(balanceMinor: number, settings: { thresholdMinor: number; targetMinor: number; monthlyCapMinor: number }, card = CARD_OK) {
  const userId = await fundedUser(balanceMinor);
  await saveCard(userId, card);
  await updateAutoRecharge(userId, { enabled: true, ...settings });
  return userId;
}

function spend(userId: string, amountMinor: number) {
  return spendCredits(userId, { amountMinor, description: "Test usage", idempotencyKey: randomUUID() });
}

async function walletOf(userId: string) {
  return db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } }, include: { recharges: { orderBy: { createdAt: "asc" } } } });
}

async function paymentIntentsOf(userId: string) {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.stripeCustomerId) return [];
  return (await stripe.paymentIntents.list({ customer: user.stripeCustomerId, limit: 100 })).data;
}

/** The credits auto-recharge wrote to the wallet: one TOPUP per recharge purchase. */
async function rechargeCredits(walletId: string) {
  return db().ledgerEntry.findMany({ where: { walletId, type: "TOPUP", idempotencyKey: { startsWith: "recharge:" } } });
}

describe("saving a card", () => {
  it("stores the card from checkout.session.completed and from the return, once, and only for its own user", async () => {
    const userId = await fundedUser(1000); // £10.00
    expect((await getAutoRecharge(userId)).card).toBeNull();
    const setup = await saveCard(userId, CARD_OK);

    const row = await db().autoRecharge.findFirstOrThrow({ where: { wallet: { userId } } });
    expect(row).toMatchObject({ enabled: false, cardBrand: "visa", cardLast4: "4242", setupSessionId: null });
    expect(row.paymentMethodId).toMatch(/^pm_/);
    // The return from Checkout after the webhook changes nothing; another user's return is a 404.
    expect(await completeCardSetup(setup.sessionId, { userId })).toEqual({ outcome: "saved", card: { brand: "visa", last4: "4242" } });
    const stranger = await fundedUser(100);
    await expect(completeCardSetup(setup.sessionId, { userId: stranger })).rejects.toMatchObject({ status: 404 });
  });

  it("closing an embedded card form expires its session and saves nothing; one completed first is saved; another user's is a 404", async () => {
    const userId = await fundedUser(100);
    const open = await startCardSetup(userId, { ui: "embedded" });
    expect(open.url).toBeNull();
    await expect(cancelCardSetup(await fundedUser(100), open.sessionId)).rejects.toMatchObject({ status: 404 });
    expect(await cancelCardSetup(userId, open.sessionId)).toEqual({ outcome: "not_completed" });
    expect((await stripe.checkout.sessions.retrieve(open.sessionId)).status).toBe("expired");
    expect((await getAutoRecharge(userId)).card).toBeNull();

    // Paid on the hosted page just before the close reached the server: the card is kept, not thrown away.
    const paid = await saveCard(userId, CARD_OK);
    expect(await cancelCardSetup(userId, paid.sessionId)).toEqual({ outcome: "saved", card: { brand: "visa", last4: "4242" } });
  });

  it("refuses to turn on without a card (409) and names each field's problem (422)", async () => {
    const userId = await fundedUser(1000);
    await expect(updateAutoRecharge(userId, { enabled: true, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 5000 })).rejects.toMatchObject({
      status: 409,
      code: "card_required",
    });
    const invalid = await updateAutoRecharge(userId, { enabled: false, thresholdMinor: 500, targetMinor: 520, monthlyCapMinor: 10 }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(Error);
    expect(JSON.stringify(invalid)).toContain("targetMinor");
    expect(JSON.stringify(invalid)).toContain("at least £0.50 above the threshold");
    // Off, with valid numbers, needs no card.
    expect(await updateAutoRecharge(userId, { enabled: false, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 5000 })).toMatchObject({ enabled: false, card: null });
  });
});

describe("recharging", () => {
  it("turned on while already below the threshold, recharges at once instead of waiting for the next debit", async () => {
    const userId = await fundedUser(300); // £3.00
    await saveCard(userId, CARD_OK);
    await updateAutoRecharge(userId, { enabled: true, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 10_000 }); // below £5.00 → up to £20.00
    await settledDeliveries();
    const wallet = await walletOf(userId);
    expect(wallet.recharges.map((recharge) => [recharge.amountMinor, recharge.status])).toEqual([[1700, "succeeded"]]);
    expect(wallet.balanceMinor).toBe(2000);
    // Saving the same settings again queues nothing more.
    await updateAutoRecharge(userId, { enabled: true, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 10_000 });
    expect((await walletOf(userId)).recharges).toHaveLength(1);
  });

  it("64 concurrent debits that cross the threshold queue one recharge; racing starters charge it once; it is credited once", async () => {
    const userId = await enabledUser(1000, { thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 10_000 }); // £10.00; below £5.00 → up to £20.00
    const results = await Promise.all(Array.from({ length: 64 }, () => spend(userId, 10))); // 64 × £0.10
    expect(results).toHaveLength(64);

    let wallet = await walletOf(userId);
    expect(wallet.balanceMinor).toBe(360); // £3.60
    expect(wallet.recharges).toHaveLength(1);
    // Queued by the debit that crossed: 1000 - 51 × 10 = 490 left, so 1510 brings it to the target.
    expect(wallet.recharges[0]).toMatchObject({ status: "pending", amountMinor: 1510 });

    // Scoped to this user: test files share the database, and an unscoped starter would also race
    // other files' starters for their recharges (and count those it finds already taken as dropped).
    const runs = await Promise.all(Array.from({ length: 4 }, () => startPendingRecharges({ userId })));
    expect(runs.reduce((sum, run) => sum + run.started, 0)).toBeGreaterThanOrEqual(1);
    expect(runs.reduce((sum, run) => sum + run.failed + run.dropped, 0)).toBe(0);
    await settledDeliveries();

    expect(await paymentIntentsOf(userId)).toHaveLength(1);
    wallet = await walletOf(userId);
    expect(wallet.recharges).toHaveLength(1);
    expect(wallet.recharges[0]).toMatchObject({ status: "succeeded", amountMinor: 1510 });
    expect(wallet.balanceMinor).toBe(360 + 1510); // £18.70
    expect(await rechargeCredits(wallet.id)).toMatchObject([{ amountMinor: 1510, description: "Auto-recharge" }]);
    const purchase = await db().purchase.findUniqueOrThrow({ where: { id: wallet.recharges[0]!.purchaseId } });
    expect(purchase).toMatchObject({ status: "paid", packKey: "auto_recharge", amountMinor: 1510, paymentIntentId: wallet.recharges[0]!.paymentIntentId });
  });

  it("never recharges past the monthly cap, however debits and starters race, and credits each recharge once", async () => {
    const cap = 4000; // £40.00 a month
    const userId = await enabledUser(1000, { thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: cap });
    let spentMinor = 0;
    for (let round = 0; round < 5; round++) {
      // Debits and starters all at once: a starter may run before, between or after the debits commit.
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 24 }, () => spend(userId, 75)), // 24 × £0.75, more than the balance: some are refused
        startPendingRecharges({ userId }),
        startPendingRecharges(),
        startPendingRecharges({ userId }),
      ]);
      for (const outcome of outcomes.slice(0, 24)) {
        if (outcome.status === "fulfilled") spentMinor += 75;
        else expect(outcome.reason).toMatchObject({ code: "insufficient_funds" });
      }
      await Promise.all([startPendingRecharges(), startPendingRecharges({ userId })]);
      await settledDeliveries();
    }
    const wallet = await walletOf(userId);
    const counted = wallet.recharges.filter((recharge) => recharge.status !== "failed");
    const rechargedMinor = counted.reduce((sum, recharge) => sum + recharge.amountMinor, 0);
    expect(rechargedMinor).toBeLessThanOrEqual(cap);
    // The cap was reached: the last recharge took what was left of it, then none was queued.
    expect(counted.length).toBeGreaterThanOrEqual(2);
    expect(rechargedMinor).toBeGreaterThan(cap - 50);
    expect(wallet.recharges.every((recharge) => recharge.status === "succeeded")).toBe(true);
    // Exactly once: one credit and one PaymentIntent per recharge, and the balance is what went in minus what went out.
    const credits = await rechargeCredits(wallet.id);
    expect(credits.map((entry) => entry.idempotencyKey).sort()).toEqual(counted.map((recharge) => rechargeKey(recharge.purchaseId)).sort());
    expect(await paymentIntentsOf(userId)).toHaveLength(counted.length);
    expect(wallet.balanceMinor).toBe(1000 - spentMinor + rechargedMinor);
    expect((await getAutoRechargeView(userId)).monthToDateMinor).toBe(rechargedMinor);
  });

  it("a replayed payment_intent.succeeded credits the recharge once", async () => {
    const userId = await enabledUser(600, { thresholdMinor: 500, targetMinor: 1500, monthlyCapMinor: 5000 });
    await spend(userId, 200); // £6.00 → £4.00: recharge £11.00
    await startPendingRecharges({ userId });
    await settledDeliveries();
    const [paymentIntent] = await paymentIntentsOf(userId);
    if (!paymentIntent) throw new Error("no PaymentIntent");
    expect(paymentIntent.status).toBe("succeeded");

    for (let replay = 0; replay < 2; replay++) {
      const accepted = await acceptEvent(await parseStoredEvent(JSON.stringify(stripeEvent("payment_intent.succeeded", paymentIntent))));
      expect(accepted.outcome === "deferred" ? await accepted.process() : accepted.outcome).toBe("processed");
    }
    const wallet = await walletOf(userId);
    expect(wallet.balanceMinor).toBe(1500); // £15.00, the target
    expect(await rechargeCredits(wallet.id)).toHaveLength(1);
    expect(wallet.recharges).toMatchObject([{ status: "succeeded", amountMinor: 1100 }]);
    expect(await db().emailOutbox.count({ where: { userId, kind: "topup_receipt" } })).toBe(1);
  });

  it("a card that needs authentication switches auto-recharge off, emails once, and shows why; turning it back on clears that", async () => {
    const userId = await enabledUser(600, { thresholdMinor: 500, targetMinor: 1500, monthlyCapMinor: 5000 }, CARD_AUTH_REQUIRED);
    await spend(userId, 200);
    // Two starters race; payment_intent.payment_failed then says the same again.
    const runs = await Promise.all([startPendingRecharges({ userId }), startPendingRecharges({ userId })]);
    expect(runs.reduce((sum, run) => sum + run.failed, 0)).toBe(1);
    await settledDeliveries();

    const wallet = await walletOf(userId);
    expect(wallet.balanceMinor).toBe(400);
    expect(wallet.recharges).toMatchObject([{ status: "failed", failureCode: "authentication_required", amountMinor: 1100 }]);
    const purchase = await db().purchase.findUniqueOrThrow({ where: { id: wallet.recharges[0]!.purchaseId } });
    expect(purchase.status).toBe("failed");
    expect(purchase.failureMessage).toMatch(/confirm each payment with this card/);
    expect(await db().emailOutbox.findMany({ where: { userId, kind: "recharge_failed" } })).toMatchObject([{ payload: { amountMinor: 1100, currency: "GBP" } }]);

    const view = await getAutoRechargeView(userId);
    expect(view.settings.enabled).toBe(false);
    expect(view.switchedOff).toMatchObject({ needsAnotherCard: true, failedRecharge: { amountMinor: 1100 } });
    expect(view.switchedOff?.reason).toMatch(/can't be charged automatically/);
    expect(view.monthToDateMinor).toBe(0); // a failed recharge does not count against the cap

    // Nothing more is queued while it is off, however low the balance goes.
    await spend(userId, 100);
    expect(await db().recharge.count({ where: { walletId: wallet.id } })).toBe(1);

    // Back above the threshold first: turned on below it, the same card would be tried (and refused) at once.
    await db().$transaction((tx) => credit(tx, { userId, currency: "GBP", amountMinor: 1000, type: "ADJUSTMENT", idempotencyKey: adjustmentKey(randomUUID()) }));
    const back = await updateAutoRecharge(userId, { ...view.settings, enabled: true });
    expect(back).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    expect((await getAutoRechargeView(userId)).switchedOff).toBeNull();
  });

  it("a declined card fails the recharge with the bank's plain reason, from the credit sweep", async () => {
    const userId = await enabledUser(600, { thresholdMinor: 500, targetMinor: 1500, monthlyCapMinor: 5000 }, CARD_DECLINED);
    await spend(userId, 200);
    const sweep = await runCreditSweep();
    expect(sweep.rechargesStarted).toBeGreaterThanOrEqual(1);
    await settledDeliveries();
    const view = await getAutoRechargeView(userId);
    expect(view.recent).toMatchObject([{ status: "failed", failureCode: "generic_decline" }]);
    expect(view.switchedOff).toMatchObject({ reason: "Your card was declined. Try another card, or ask your bank why.", needsAnotherCard: false });
    expect(await db().emailOutbox.count({ where: { userId, kind: "recharge_failed" } })).toBe(1);
  });

  it("a recharge queued before the user switched auto-recharge off is dropped uncharged", async () => {
    const userId = await enabledUser(600, { thresholdMinor: 500, targetMinor: 1500, monthlyCapMinor: 5000 });
    await spend(userId, 200);
    const settings = await getAutoRecharge(userId);
    await updateAutoRecharge(userId, { ...settings, enabled: false });
    expect(await startPendingRecharges({ userId })).toMatchObject({ dropped: 1, started: 0 });
    expect(await paymentIntentsOf(userId)).toHaveLength(0);
    const wallet = await walletOf(userId);
    expect(wallet.recharges).toMatchObject([{ status: "failed", failureCode: "auto_recharge_off" }]);
    expect(await db().emailOutbox.count({ where: { userId, kind: "recharge_failed" } })).toBe(0);
  });

  it("leaves the ledger's invariants holding", async () => {
    expect((await findLedgerViolations()).violations).toEqual([]);
  });
});
