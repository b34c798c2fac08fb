import { readdirSync } from "node:fs";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../core/db";
import { deliverEvent, startBillingEmulator, type BillingEmulator } from "@/test/billing";
import { CLI_TRIGGER_FIXTURES_DIR, emulatorStripe, runStripeTrigger } from "@billfold/stripe-emulator/testing";

// Every fixture of the official CLI's `stripe trigger` (stripe-emulator/cli-triggers/) run against the
// emulator, and every event they make delivered to Billfold's inbox: each must end handled or ignored
// on purpose, never failed, dead, or waiting for something that will never come.

const FIXTURES = readdirSync(CLI_TRIGGER_FIXTURES_DIR)
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.slice(0, -".json".length));

let billing: BillingEmulator;
beforeAll(async () => {
  billing = await startBillingEmulator();
});
afterAll(() => billing.emulator.close());

const { IGNORED_ON_PURPOSE, isHandledEventType } = await import("./dispatch");

describe("the official CLI's trigger fixtures", () => {
  it("finds the 16 fixtures", () => expect(FIXTURES).toHaveLength(16));

  it("each fixture's event type has a handler or a stated reason to ignore it", () => {
    const undecided = FIXTURES.filter((type) => !isHandledEventType(type) && !(type in IGNORED_ON_PURPOSE));
    expect(undecided).toEqual([]);
  });

  it("every event the fixtures emit is handled or ignored, none failed or stuck", async () => {
    const stripe = emulatorStripe(billing.emulator, "sk_test_billfold_local_emulator");
    const before = new Set((await stripe.events.list({ limit: 100 })).data.map((event) => event.id));
    for (const fixture of FIXTURES) {
      const result = await runStripeTrigger({ event: fixture, apiBase: billing.emulator.url });
      expect(result.output, fixture).toContain("Trigger succeeded");
    }
    // Bank debits (the async_payment_* fixtures) settle a moment after the trigger returns.
    let events: Stripe.Event[] = [];
    let missing: string[] = [...FIXTURES];
    for (let waited = 0; missing.length > 0 && waited < 15_000; waited += 250) {
      events = [];
      for await (const event of stripe.events.list({ limit: 100 })) if (!before.has(event.id)) events.push(event);
      const emitted = new Set<string>(events.map((event) => event.type));
      missing = FIXTURES.filter((type) => !emitted.has(type));
      if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(missing).toEqual([]);
    events.reverse();

    for (const event of events) await deliverEvent(event);
    const stored = await db().webhookEvent.findMany({ where: { stripeEventId: { in: events.map((event) => event.id) } } });
    expect(stored).toHaveLength(events.length);
    const problems = stored.filter((row) => row.status !== "processed" && row.status !== "ignored").map((row) => `${row.type}: ${row.status} ${row.lastError ?? ""}`);
    expect(problems).toEqual([]);
    for (const row of stored.filter((candidate) => candidate.status === "ignored")) expect(isHandledEventType(row.type)).toBe(false);
  }, 120_000);
});
