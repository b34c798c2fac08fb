import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import Stripe from "stripe";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmulator } from "@/stripe-emulator";
import type { DeliveryRecord } from "@/stripe-emulator/webhooks";
import { db } from "../db";
import { walletState, webhookRequest } from "@/test/webhook-events";

// The money path end to end, with nothing faked but the browser: startTopUp opens a real Checkout
// Session in the emulator, the session is paid through the CLI's payment_pages call, and the emulator
// delivers the signed events to the real webhook route, duplicated, shuffled and delayed (seeded chaos),
// retrying whatever did not get a 2xx (some answers are lost on purpose). Each payment must credit the
// wallet exactly once.

// Outside Next.js there is no request scope, so the real `after()` throws. This one does what Next
// does: keeps the task and runs it once the response has been sent (see `runAfterResponse`).
const afterTasks = vi.hoisted(() => ({ queued: new Array<() => unknown>(), running: new Set<Promise<unknown>>() }));
vi.mock("next/server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next/server")>();
  return {
    ...actual,
    after(task: Promise<unknown> | (() => unknown)) {
      afterTasks.queued.push(typeof task === "function" ? task : () => task);
    },
  };
});

function runAfterResponse(): void {
  for (const task of afterTasks.queued.splice(0)) {
    const running = Promise.resolve()
      .then(task)
      .catch((error: unknown) => console.error("after() task failed", error))
      .finally(() => afterTasks.running.delete(running));
    afterTasks.running.add(running);
  }
}

/** The route's answer to every delivery, to show that duplicates really reached it. */
const routeAnswers: Array<{ status: number; outcome: string }> = [];
/**
 * Every fifth answer is lost on its way back to Stripe (a proxy timing out after the app has committed):
 * Stripe sees a 502 and delivers again, out of the emit-order queue, and the redelivery must change nothing.
 */
const LOSE_EVERY_NTH_ANSWER = 5;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

// The app's side of the wire: each delivery, raw body and signature untouched, goes to the route's POST.
const forwarder = createServer((request, response) => {
  void (async () => {
    const body = await readBody(request);
    const signature = request.headers["stripe-signature"];
    const answer = await webhookPOST(webhookRequest(body, typeof signature === "string" ? signature : null), { params: Promise.resolve({}) });
    const text = await answer.text();
    const parsed: unknown = JSON.parse(text);
    const outcome = typeof parsed === "object" && parsed !== null && "outcome" in parsed ? String(parsed.outcome) : "error";
    routeAnswers.push({ status: answer.status, outcome });
    if (routeAnswers.length % LOSE_EVERY_NTH_ANSWER === 0) {
      response.writeHead(502);
      response.end();
    } else {
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(text);
    }
    runAfterResponse();
  })().catch((error: unknown) => {
    console.error("forwarding a delivery failed", error);
    response.writeHead(500);
    response.end();
  });
});
await new Promise<void>((resolve) => forwarder.listen(0, "127.0.0.1", resolve));
const forwarderAddress = forwarder.address();
if (typeof forwarderAddress !== "object" || forwarderAddress === null) throw new Error("the forwarder has no port");

const WEBHOOK_SECRET = "whsec_test_exactly_once_0123456789";
const emulator = await startEmulator({
  port: 0,
  webhookEndpoints: [{ url: `http://127.0.0.1:${forwarderAddress.port}/api/webhooks/stripe`, secret: WEBHOOK_SECRET }],
  // Stripe's 1-minute first retry becomes 60 ms.
  retrySpeedup: 1000,
  chaos: { seed: 424242, duplicateRate: 0.5, shuffle: true, maxDelayMs: 15 },
});
const emulatorUrl = new URL(emulator.url);

// env() is parsed once per process (vitest gives each file its own), at the app's first use: set it first.
process.env.STRIPE_SECRET_KEY = "sk_test_billfold_exactly_once";
process.env.STRIPE_API_HOST = emulatorUrl.hostname;
process.env.STRIPE_API_PORT = emulatorUrl.port;
process.env.STRIPE_API_PROTOCOL = "http";
process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;

const { POST: webhookPOST } = await import("@/app/api/webhooks/stripe/route");
const { startTopUp } = await import("../topups");

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { host: emulatorUrl.hostname, port: Number(emulatorUrl.port), protocol: "http" });

afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => forwarder.close(() => resolve()));
});

async function deliveries(): Promise<DeliveryRecord[]> {
  const response = await fetch(`${emulator.url}/_emulator/deliveries`);
  const body: { data: DeliveryRecord[] } = await response.json();
  return body.data;
}

/** Waits until the emulator has nothing left to deliver or retry and no deferred processing is running. */
async function settledDeliveries(timeoutMs = 8000): Promise<DeliveryRecord[]> {
  const started = Date.now();
  for (;;) {
    const all = await deliveries();
    const settled = all.every((delivery) => delivery.state === "succeeded" || delivery.state === "failed");
    if (settled && afterTasks.queued.length === 0 && afterTasks.running.size === 0) return all;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`deliveries did not settle: ${JSON.stringify(all.filter((d) => d.state !== "succeeded").map((d) => [d.eventType, d.state, d.attempts]))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Pays an open Checkout Session the way `stripe trigger` does, with no browser involved. */
async function payCheckoutSession(checkoutSessionId: string, expectedAmountMinor: number): Promise<void> {
  const response = await fetch(`${emulator.url}/v1/payment_pages/${checkoutSessionId}/confirm`, {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: "pm_card_visa", expected_amount: String(expectedAmountMinor) }).toString(),
  });
  expect(response.status).toBe(200);
}

/** Every delivery got a 2xx in the end, and every event it carried is stored exactly once, processed or ignored. */
async function expectEveryEventSettled(all: DeliveryRecord[]): Promise<void> {
  expect(all.filter((delivery) => delivery.state !== "succeeded")).toEqual([]);
  const eventIds = [...new Set(all.map((delivery) => delivery.eventId))];
  const rows = await db().webhookEvent.findMany({ where: { stripeEventId: { in: eventIds } }, select: { stripeEventId: true, type: true, status: true, lastError: true } });
  expect(rows).toHaveLength(eventIds.length);
  expect(rows.filter((row) => row.status !== "processed" && row.status !== "ignored")).toEqual([]);
}

const TOP_UPS = [
  { packKey: "starter", amountMinor: 500 }, // £5.00
  { packKey: "standard", amountMinor: 2000 }, // £20.00
  { packKey: "pro", amountMinor: 5000 }, // £50.00
  { packKey: "starter", amountMinor: 500 }, // £5.00
  { packKey: "standard", amountMinor: 2000 }, // £20.00
];

describe("top-ups paid in the emulator, delivered with chaos", () => {
  it("credits each payment exactly once and debits a partial refund exactly once", async () => {
    const user = await db().user.create({ data: { email: `exactly-once-${randomUUID()}@example.test` } });
    let expectedBalanceMinor = 0;
    const purchases: Array<{ purchaseId: string; amountMinor: number }> = [];

    for (const [index, topUp] of TOP_UPS.entries()) {
      const started = await startTopUp(user.id, { packKey: topUp.packKey });
      await payCheckoutSession(started.checkoutSessionId, topUp.amountMinor);
      await expectEveryEventSettled(await settledDeliveries());
      expectedBalanceMinor += topUp.amountMinor;
      purchases.push({ purchaseId: started.purchaseId, amountMinor: topUp.amountMinor });

      const wallet = await walletState(user.id);
      expect(wallet.balanceMinor).toBe(expectedBalanceMinor);
      expect(wallet.sumOfEntriesMinor).toBe(expectedBalanceMinor);
      expect(wallet.entries.filter((entry) => entry.type === "TOPUP")).toHaveLength(index + 1);
      const purchase = await db().purchase.findUniqueOrThrow({ where: { id: started.purchaseId } });
      expect(purchase).toMatchObject({ status: "paid", amountMinor: topUp.amountMinor, checkoutSessionId: started.checkoutSessionId });
      expect(purchase.paymentIntentId).toMatch(/^pi_/);
      expect(purchase.chargeId).toMatch(/^ch_/);
    }
    // After the first pack: 500 (£5.00); after all five: 10000 (£100.00).
    expect(expectedBalanceMinor).toBe(10_000);

    // The chaos really happened: the route saw the same events again and answered them as duplicates.
    const all = await settledDeliveries();
    expect(all.filter((delivery) => delivery.duplicate).length).toBeGreaterThan(0);
    expect(routeAnswers.some((answer) => answer.outcome === "duplicate")).toBe(true);
    // And lost answers were retried until a 2xx got through.
    expect(all.filter((delivery) => delivery.attempts[0]?.status === 502 && delivery.attempts.length > 1).length).toBeGreaterThan(0);
    expect(routeAnswers.every((answer) => answer.status === 200)).toBe(true);

    // A partial refund of the £50.00 pack, made through the SDK: charge.refunded is processed after the
    // response (the refunds are fetched from Stripe), and its duplicates must not debit again.
    const refunded = purchases[2];
    if (!refunded) throw new Error("the £50.00 purchase is missing");
    const { paymentIntentId } = await db().purchase.findUniqueOrThrow({ where: { id: refunded.purchaseId } });
    if (!paymentIntentId) throw new Error("the paid purchase has no PaymentIntent");
    const refund = await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1250 }); // £12.50
    expect(refund.status).toBe("succeeded");
    await expectEveryEventSettled(await settledDeliveries());

    const wallet = await walletState(user.id);
    expect(wallet.balanceMinor).toBe(8750); // £100.00 − £12.50
    expect(wallet.sumOfEntriesMinor).toBe(8750); // £87.50
    expect(wallet.entries.filter((entry) => entry.type === "REFUND").map((entry) => entry.amountMinor)).toEqual([-1250]); // −£12.50
    expect(wallet.entries.filter((entry) => entry.type === "TOPUP")).toHaveLength(TOP_UPS.length);
    const purchaseStatuses = await db().purchase.findMany({ where: { userId: user.id }, select: { status: true } });
    expect(purchaseStatuses.map((purchase) => purchase.status)).toEqual(TOP_UPS.map(() => "paid"));
  });
});
