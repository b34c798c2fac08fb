import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { createThrowawayDatabase } from "@/test/throwaway-db";
import type { StartedTopUp } from "@/lib/payments/topups";
import { payCheckoutSession as payInEmulator, settledDeliveries as settled, startDeliveryForwarder, pointStripeAtEmulator } from "@/test/emulator-deliveries";
import { webhookRoute } from "@/test/webhook-events";

// Acceptance: payments whose webhooks never arrived. Top-ups are paid in the emulator and delivered
// to the real webhook route, except for three whose settling events (checkout.session.completed and
// payment_intent.succeeded) chaos drops on the floor. Reconciliation must list exactly those three
// sessions as missing; the backfill from GET /v1/events must credit each once; a second backfill
// must change nothing. A refund in the range shows refunds reconcile too.
//
// This file has its own database: reconciliation compares everything in a time range, and the
// suite's shared database holds other files' fixtures (with Stripe ids this emulator never saw).

const database = await createThrowawayDatabase("billfold_reconcile");
process.env.DATABASE_URL = database.url;

vi.mock("next/server", async (importOriginal) => (await import("@/test/emulator-deliveries")).withQueuedAfter(await importOriginal<object>()));

// The app's side of the wire: each delivery, raw body and signature untouched, goes to the route's POST.
const forwarder = await startDeliveryForwarder((body, signature) => webhook.post(body, signature));

const WEBHOOK_SECRET = "whsec_test_reconcile_0123456789";
const emulator = await startEmulator({
  port: 0,
  webhookEndpoints: [{ url: forwarder.url, secret: WEBHOOK_SECRET }],
  retrySpeedup: 1000,
});

const SECRET_KEY = "sk_test_billfold_reconcile";
pointStripeAtEmulator(emulator.url, { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });

const webhook = await webhookRoute();
const { startTopUp } = await import("../payments/topups");
const { db } = await import("../core/db");
const { findLedgerViolations } = await import("../ledger/invariants");
const { backfillEvents, reconcile } = await import("./index");

const stripe = emulatorStripe(emulator, SECRET_KEY);
const ADMIN = { id: "admin-reconcile-test", email: "admin@example.test" };

afterAll(async () => {
  await emulator.close();
  await forwarder.close();
  await db().$disconnect();
  await database.drop();
});

/** Waits until every delivery was made (or dropped) and no deferred processing is running. */
const settledDeliveries = () => settled(emulator.url, ["succeeded", "dropped"]);

async function setChaos(form: Record<string, string>): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/chaos`, { method: "POST", body: new URLSearchParams(form) });
  expect(response.status).toBe(200);
}

async function payCheckoutSession(checkoutSessionId: string, expectedAmountMinor: number): Promise<void> {
  expect(await payInEmulator(emulator.url, SECRET_KEY, checkoutSessionId, expectedAmountMinor)).toBe(200);
}

async function newUser(): Promise<string> {
  const user = await db().user.create({ data: { email: `reconcile-${randomUUID()}@example.test` } });
  return user.id;
}

async function topUpEntriesBySession(): Promise<Map<string, number>> {
  const entries = await db().ledgerEntry.findMany({ where: { type: "TOPUP" }, select: { idempotencyKey: true } });
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.idempotencyKey, (counts.get(entry.idempotencyKey) ?? 0) + 1);
  return counts;
}

/** The events that settle a top-up: the ones chaos drops for the three "lost" payments. */
const SETTLING_EVENTS = "checkout.session.completed,payment_intent.succeeded";

describe("reconciliation and backfill against the emulator", () => {
  it("lists exactly the three top-ups whose webhooks were dropped, and the backfill credits each once", async () => {
    const from = new Date(Date.now() - 60_000);
    const alice = await newUser();
    const bob = await newUser();

    // Delivered: three top-ups (one later refunded in part).
    const delivered: StartedTopUp[] = [];
    for (const [userId, packKey, amountMinor] of [[alice, "starter", 500], [bob, "standard", 2000], [alice, "pro", 5000]] as const) {
      const started = await startTopUp(userId, { packKey });
      await payCheckoutSession(started.checkoutSessionId, amountMinor); // £5.00, £20.00, £50.00
      delivered.push(started);
    }
    await settledDeliveries();

    // Dropped: three more, whose settling events exist in /v1/events but never reach the app.
    await setChaos({ drop_types: SETTLING_EVENTS });
    const dropped: StartedTopUp[] = [];
    for (const [userId, packKey, amountMinor] of [[alice, "standard", 2000], [bob, "starter", 500], [bob, "pro", 5000]] as const) {
      const started = await startTopUp(userId, { packKey });
      await payCheckoutSession(started.checkoutSessionId, amountMinor);
      dropped.push(started);
    }
    const afterDrops = await settledDeliveries();
    await setChaos({});
    expect(afterDrops.filter((delivery) => delivery.state === "dropped")).toHaveLength(6);

    // A partial refund of the delivered £50.00 pack, delivered as usual.
    const refundedPurchase = await db().purchase.findUniqueOrThrow({ where: { id: delivered[2]?.purchaseId } });
    if (!refundedPurchase.paymentIntentId) throw new Error("the delivered £50.00 top-up has no PaymentIntent");
    const refund = await stripe.refunds.create({ payment_intent: refundedPurchase.paymentIntentId, amount: 1250 }); // £12.50
    await settledDeliveries();
    expect(await db().ledgerEntry.count({ where: { idempotencyKey: `refund:${refund.id}` } })).toBe(1);

    const range = () => ({ from, to: new Date(Date.now() + 1000) });
    const before = await reconcile(range());
    expect(before.missing.map((entry) => entry.stripeObjectId).sort()).toEqual(dropped.map((started) => started.checkoutSessionId).sort());
    expect(before.missing.every((entry) => entry.type === "TOPUP" && entry.actualMinor === null)).toBe(true);
    expect(before.missing.map((entry) => entry.expectedMinor).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([500, 2000, 5000]);
    expect(before.missing.find((entry) => entry.stripeObjectId === dropped[0]?.checkoutSessionId)?.userId).toBe(alice);
    expect(before.extra).toEqual([]);
    expect(before.mismatched).toEqual([]);
    expect(before.checked).toMatchObject({ checkoutSessions: 6, charges: 6, refunds: 1, disputes: 0, ledgerEntries: 4 });

    const backfilled = await backfillEvents(range(), ADMIN);
    // New: the two settling events of each dropped payment. The rest (the delivered payments' and the refund's) are duplicates.
    expect(backfilled.stored).toBe(6);
    expect(backfilled.processed).toBe(6);
    expect(backfilled).toMatchObject({ retried: 0, unmatched: 0, failed: 0 });
    expect(backfilled.duplicates).toBe(backfilled.fetched - 6);

    const after = await reconcile(range());
    expect([after.missing, after.extra, after.mismatched]).toEqual([[], [], []]);
    expect(after.checked.ledgerEntries).toBe(7);

    // Each top-up credited exactly once; each wallet's balance is the sum of its entries.
    const perSession = await topUpEntriesBySession();
    for (const started of [...delivered, ...dropped]) expect(perSession.get(`topup:${started.checkoutSessionId}`)).toBe(1);
    expect(perSession.size).toBe(6);
    const wallets = await db().wallet.findMany({ include: { entries: true } });
    for (const wallet of wallets) expect(wallet.balanceMinor).toBe(wallet.entries.reduce((sum, entry) => sum + entry.amountMinor, 0));
    const balances = Object.fromEntries(wallets.map((wallet) => [wallet.userId, wallet.balanceMinor]));
    expect(balances).toEqual({ [alice]: 500 + 5000 - 1250 + 2000, [bob]: 2000 + 500 + 5000 }); // £62.50 and £75.00
    expect((await findLedgerViolations()).violations).toEqual([]);
    const purchases = await db().purchase.findMany({ where: { id: { in: dropped.map((started) => started.purchaseId) } } });
    expect(purchases.map((purchase) => purchase.status)).toEqual(["paid", "paid", "paid"]);

    // Again: nothing new, nothing applied.
    const entriesBefore = await db().ledgerEntry.count();
    const again = await backfillEvents(range(), ADMIN);
    expect(again).toEqual({ ...again, fetched: backfilled.fetched, stored: 0, duplicates: backfilled.fetched, processed: 0, retried: 0 });
    expect(await db().ledgerEntry.count()).toBe(entriesBefore);

    // Both runs are in the audit log, with their counts.
    const audit = await db().adminAuditEntry.findMany({ where: { action: "BACKFILL" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => [entry.adminEmail, entry.targetType, entry.details])).toEqual([
      [ADMIN.email, "reconciliation", backfilled],
      [ADMIN.email, "reconciliation", again],
    ]);
  });

  it("lists a ledger entry Stripe never saw as extra, and a changed amount as mismatched", async () => {
    const userId = await newUser();
    const from = new Date(Date.now() - 1000);
    const started = await startTopUp(userId, { packKey: "starter" });
    await payCheckoutSession(started.checkoutSessionId, 500); // £5.00
    await settledDeliveries();
    const { credit } = await import("../ledger");
    // A credit under a key for a session Stripe does not have, as a bug or a hand-made row would leave.
    await db().$transaction((tx) =>
      credit(tx, { userId, currency: "GBP", amountMinor: 700, type: "TOPUP", idempotencyKey: "topup:cs_test_never_at_stripe", stripeObjectId: "cs_test_never_at_stripe" }),
    );
    // The real credit's amount changed behind the ledger's back (the invariants test would catch the balance; here, the amount).
    const original = await db().ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: `topup:${started.checkoutSessionId}` } });
    await db().$executeRaw`UPDATE "LedgerEntry" SET "amountMinor" = 600, "balanceAfterMinor" = "balanceAfterMinor" + 100 WHERE "id" = ${original.id}`;
    await db().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + 100 WHERE "userId" = ${userId}`;

    const report = await reconcile({ from, to: new Date(Date.now() + 1000) });
    expect(report.missing).toEqual([]);
    expect(report.extra).toEqual([expect.objectContaining({ stripeObjectId: "cs_test_never_at_stripe", type: "TOPUP", expectedMinor: null, actualMinor: 700, userId })]);
    expect(report.mismatched).toEqual([expect.objectContaining({ stripeObjectId: started.checkoutSessionId, expectedMinor: 500, actualMinor: 600, currency: "GBP", reason: "amount £6.00 in the ledger, £5.00 at Stripe" })]);

    // Undo, so the file's database ends consistent.
    await db().$executeRaw`UPDATE "LedgerEntry" SET "amountMinor" = 500, "balanceAfterMinor" = "balanceAfterMinor" - 100 WHERE "id" = ${original.id}`;
    await db().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" - 100 WHERE "userId" = ${userId}`;
  });

  it("matches an auto-recharge's credit with its PaymentIntent, and lists a succeeded recharge with no credit as missing", async () => {
    const userId = await newUser();
    const from = new Date(Date.now() - 1000);
    const customer = await stripe.customers.create({ email: `recharge-${userId}@example.test` });
    const charge = (purchaseId: string) =>
      stripe.paymentIntents.create({
        amount: 800, // £8.00
        currency: "gbp",
        customer: customer.id,
        payment_method: "pm_card_visa",
        off_session: true,
        confirm: true,
        metadata: { billfoldPurchaseId: purchaseId, billfoldUserId: userId, purpose: "auto_recharge" },
      });
    const purchase = await db().purchase.create({ data: { userId, packKey: "auto_recharge", amountMinor: 800, currency: "GBP", status: "processing" } });
    const credited = await charge(purchase.id);
    const lost = await charge(`purchase-billfold-never-stored-${randomUUID()}`);
    await settledDeliveries();
    expect(await db().ledgerEntry.count({ where: { idempotencyKey: `recharge:${purchase.id}` } })).toBe(1);

    const report = await reconcile({ from, to: new Date(Date.now() + 1000) });
    // The range may also hold the previous test's rows; this user's must all agree.
    const ours = (entries: Array<{ userId: string | null }>) => entries.filter((entry) => entry.userId === userId);
    expect(ours(report.extra)).toEqual([]);
    expect(ours(report.mismatched)).toEqual([]);
    expect(ours(report.missing)).toEqual([expect.objectContaining({ stripeObjectId: lost.id, type: "TOPUP", expectedMinor: 800, actualMinor: null })]);
    expect(report.missing.some((entry) => entry.stripeObjectId === credited.id)).toBe(false);
  });
});
