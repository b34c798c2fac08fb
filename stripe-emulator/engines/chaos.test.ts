// Seeded chaos: duplicate deliveries, shuffled order and random delays, reproducible from the seed;
// and without chaos, exactly one delivery per event in the order the events were emitted.
import type Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { ChaosOptions, RunningEmulator } from "../index";
import { startReceiver, startTestEmulator, type WebhookReceiver } from "../testing";
import type { DeliveryRecord } from "./webhooks";

const SECRET = "whsec_chaos_test_secret";
const ROUNDS = 4;
/** Events per Stripe call in a round: creating the session, then paying it. */
const EVENTS_PER_REQUEST = [2, 3];

let running: Array<RunningEmulator | WebhookReceiver> = [];

afterEach(async () => {
  await Promise.all(running.map((item) => item.close()));
  running = [];
});

interface ChaosRun {
  emulator: RunningEmulator;
  stripe: Stripe;
  receiver: WebhookReceiver;
}

async function startRun(chaos?: ChaosOptions): Promise<ChaosRun> {
  const receiver = await startReceiver();
  const { emulator, stripe } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }], chaos });
  running.push(emulator, receiver);
  return { emulator, stripe, receiver };
}

async function deliveriesOf(emulator: RunningEmulator): Promise<DeliveryRecord[]> {
  const response = await fetch(`${emulator.url}/_emulator/deliveries`);
  const body: { data: DeliveryRecord[] } = await response.json();
  return body.data;
}

/** Waits until every delivery has had its first (and only, since the receiver answers 200) attempt. */
async function settledDeliveries(run: ChaosRun, timeoutMs = 8000): Promise<DeliveryRecord[]> {
  const started = Date.now();
  for (;;) {
    const deliveries = await deliveriesOf(run.emulator);
    const settled = deliveries.every((delivery) => delivery.state === "succeeded");
    if (deliveries.length > 0 && settled && run.receiver.received.length === deliveries.length) return deliveries;
    if (Date.now() - started > timeoutMs) throw new Error(`deliveries did not settle: ${JSON.stringify(deliveries.map((d) => d.state))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Ids of every event the emulator emitted, oldest first (the list API is newest first). */
async function emittedEventIds(stripe: Stripe): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 });
  expect(events.has_more).toBe(false);
  return events.data.map((event) => event.id).reverse();
}

function receivedEventIds(receiver: WebhookReceiver): string[] {
  return receiver.received.map((hook) => {
    const parsed: unknown = JSON.parse(hook.body);
    if (typeof parsed !== "object" || parsed === null || !("id" in parsed) || typeof parsed.id !== "string") throw new Error("delivery without an event id");
    return parsed.id;
  });
}

/**
 * The same Stripe calls every time: per round, a Checkout Session (product.created, price.created)
 * and its payment (checkout.session.completed, payment_intent.succeeded, charge.succeeded).
 * `paced` waits for each request's deliveries to finish before the next request.
 */
async function runWorkload(run: ChaosRun, { paced }: { paced: boolean }): Promise<void> {
  const drain = async () => {
    if (paced) await settledDeliveries(run);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const session = await run.stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "gbp", unit_amount: 500, product_data: { name: `Round ${round}` } }, quantity: 1 }], // £5.00
      success_url: "http://app.local/ok",
    });
    await drain();
    const paid = await fetch(`${run.emulator.url}/v1/payment_pages/${session.id}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_chaos", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ payment_method: "pm_card_visa", expected_amount: "500" }).toString(),
    });
    expect(paid.status).toBe(200);
    await drain();
  }
}

/** What a receiver sees, without the random ids: each delivery's event type, marked when it is a duplicate. */
function sequenceOf(deliveries: DeliveryRecord[]): string[] {
  return deliveries.map((delivery) => `${delivery.eventType}${delivery.duplicate ? " (duplicate)" : ""}`);
}

function countBy(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe("chaos off", () => {
  it("delivers each event exactly once, in emit order", async () => {
    const run = await startRun();
    await runWorkload(run, { paced: false });
    const deliveries = await settledDeliveries(run);
    const emitted = await emittedEventIds(run.stripe);
    expect(emitted).toHaveLength(ROUNDS * EVENTS_PER_REQUEST.reduce((sum, count) => sum + count, 0));
    expect(receivedEventIds(run.receiver)).toEqual(emitted);
    expect(deliveries.map((delivery) => delivery.eventId)).toEqual(emitted);
    expect(deliveries.some((delivery) => delivery.duplicate)).toBe(false);
  });
});

describe("chaos on, seeded", () => {
  it("delivers some events twice, with the same event id and body, and every event at least once", async () => {
    const run = await startRun({ seed: 7, duplicateRate: 0.5 });
    await runWorkload(run, { paced: false });
    const deliveries = await settledDeliveries(run);
    const emitted = await emittedEventIds(run.stripe);
    const counts = countBy(receivedEventIds(run.receiver));

    expect([...counts.keys()].sort()).toEqual([...emitted].sort());
    const twice = [...counts].filter(([, count]) => count === 2).map(([id]) => id);
    expect(twice.length).toBeGreaterThan(0);
    expect([...counts.values()].every((count) => count <= 2)).toBe(true);
    // The emulator's own record agrees: one extra delivery per duplicated event, flagged as such.
    expect(deliveries.filter((delivery) => delivery.duplicate).map((delivery) => delivery.eventId).sort()).toEqual([...twice].sort());
    // A duplicate is the same event, byte for byte (only the signature's timestamp may differ).
    const [duplicatedId] = twice;
    const bodies = new Set(run.receiver.received.filter((hook) => hook.body.includes(`"id": "${duplicatedId}"`)).map((hook) => hook.body));
    expect(bodies.size).toBe(1);
  });

  it("shuffles the events of one request, delivering each once when duplicates are off", async () => {
    const run = await startRun({ seed: 7, shuffle: true });
    await runWorkload(run, { paced: false });
    await settledDeliveries(run);
    const emitted = await emittedEventIds(run.stripe);
    const received = receivedEventIds(run.receiver);

    expect(received).not.toEqual(emitted);
    expect([...received].sort()).toEqual([...emitted].sort());
    // Shuffling stays within one request's events: consecutive requests are never mixed.
    let start = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const size of EVENTS_PER_REQUEST) {
        expect(received.slice(start, start + size).sort()).toEqual(emitted.slice(start, start + size).sort());
        start += size;
      }
    }
  });

  it("gives the same sequence for the same seed, whatever the pace of the API calls, and another for another seed", async () => {
    const chaos = { seed: 20261123, duplicateRate: 0.5, shuffle: true, maxDelayMs: 40 };
    const backToBack = await startRun(chaos);
    const paced = await startRun(chaos);
    const otherSeed = await startRun({ ...chaos, seed: 99 });
    await Promise.all([runWorkload(backToBack, { paced: false }), runWorkload(paced, { paced: true }), runWorkload(otherSeed, { paced: false })]);

    const expected = sequenceOf(await settledDeliveries(backToBack));
    expect(expected.some((entry) => entry.endsWith("(duplicate)"))).toBe(true);
    expect(sequenceOf(await settledDeliveries(paced))).toEqual(expected);
    expect(sequenceOf(await settledDeliveries(otherSeed))).not.toEqual(expected);
    // What reached the receiver is that same sequence, in that order.
    expect(backToBack.receiver.received.map((hook) => hook.type)).toEqual(expected.map((entry) => entry.replace(" (duplicate)", "")));
  });
});

describe("chaos drops deliveries", () => {
  /** Settled means every delivery was made or dropped; dropped ones never reach the receiver. */
  async function settledWithDrops(run: ChaosRun, timeoutMs = 8000): Promise<DeliveryRecord[]> {
    const started = Date.now();
    for (;;) {
      const deliveries = await deliveriesOf(run.emulator);
      const attempted = deliveries.filter((delivery) => delivery.state !== "dropped");
      if (deliveries.length > 0 && attempted.every((delivery) => delivery.state === "succeeded") && run.receiver.received.length === attempted.length) return deliveries;
      if (Date.now() - started > timeoutMs) throw new Error(`deliveries did not settle: ${JSON.stringify(deliveries.map((d) => d.state))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("never delivers events of the dropped types, which /v1/events still lists", async () => {
    const run = await startRun({ seed: 1, dropEventTypes: ["checkout.session.completed", "payment_intent.succeeded"] });
    await runWorkload(run, { paced: false });
    const deliveries = await settledWithDrops(run);
    const received = run.receiver.received.map((hook) => hook.type);

    expect(received).not.toContain("checkout.session.completed");
    expect(received).not.toContain("payment_intent.succeeded");
    expect(received.filter((type) => type === "charge.succeeded")).toHaveLength(ROUNDS);
    const dropped = deliveries.filter((delivery) => delivery.state === "dropped");
    expect(dropped.map((delivery) => delivery.eventType).sort()).toEqual(
      [...Array<string>(ROUNDS).fill("checkout.session.completed"), ...Array<string>(ROUNDS).fill("payment_intent.succeeded")].sort(),
    );
    expect(dropped.every((delivery) => delivery.attempts.length === 0)).toBe(true);
    // The events exist: a backfill from the events API finds every one of them.
    const listed = await run.stripe.events.list({ types: ["checkout.session.completed", "payment_intent.succeeded"], limit: 100 });
    expect(listed.data.map((event) => event.id).sort()).toEqual(dropped.map((delivery) => delivery.eventId).sort());
  });

  it("drops a seeded share of events, set and cleared through POST /_emulator/chaos", async () => {
    const run = await startRun();
    const configure = (form: Record<string, string>) =>
      fetch(`${run.emulator.url}/_emulator/chaos`, { method: "POST", body: new URLSearchParams(form), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const configured = await configure({ drop_types: "charge.succeeded, product.created" });
    expect(await configured.json()).toMatchObject({ chaos: { seed: 0, dropEventTypes: ["charge.succeeded", "product.created"] } });
    expect((await configure({ seed: "3", drop_rate: "2" })).status).toBe(400);
    await configure({ seed: "3", drop_rate: "0.5" });
    await runWorkload(run, { paced: false });
    const deliveries = await settledWithDrops(run);
    const dropped = deliveries.filter((delivery) => delivery.state === "dropped").length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(deliveries.length);
    expect(run.receiver.received).toHaveLength(deliveries.length - dropped);

    expect(await (await configure({})).json()).toEqual({ chaos: null });
  });
});
