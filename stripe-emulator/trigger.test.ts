// The official Stripe CLI's `stripe trigger` runs every fixture in ./cli-triggers/ (a copy of the CLI's
// own trigger fixtures, kept in the repository so that a clean clone has them) against
// the emulator: each one must succeed, put a new event of its type in `/v1/events`, and reach a webhook endpoint.
import { readdirSync } from "node:fs";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "./index";
import { startReceiver, startTestEmulator, waitFor, type WebhookReceiver } from "./testing";
import { CLI_TRIGGER_FIXTURES_DIR, runStripeTrigger } from "./trigger";

const EVENT_TYPES = readdirSync(CLI_TRIGGER_FIXTURES_DIR)
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.slice(0, -".json".length))
  .sort();

let emulator: RunningEmulator;
let stripe: Stripe;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  ({ emulator, stripe } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: "whsec_trigger_test" }] }));
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

async function eventIdsOfType(type: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const event of stripe.events.list({ type, limit: 100 })) ids.add(event.id);
  return ids;
}

describe("stripe trigger, for every CLI fixture", () => {
  it("finds the 16 fixtures", () => {
    expect(EVENT_TYPES).toHaveLength(16);
    expect(EVENT_TYPES).toContain("checkout.session.async_payment_failed");
  });

  // One at a time: fixtures share one emulator, and each checks that *its* run added a new event.
  it.each(EVENT_TYPES)("%s succeeds and emits its event", async (type) => {
    const before = await eventIdsOfType(type);
    const result = await runStripeTrigger({ event: type, apiBase: emulator.url });
    expect(result.output).toContain("Trigger succeeded");
    expect(result.code).toBe(0);
    // Delayed outcomes (bank debits) arrive a moment after the CLI returns.
    const fresh = await waitFor(async () => {
      const after = await eventIdsOfType(type);
      const added = [...after].filter((id) => !before.has(id));
      return added.length > 0 ? added : undefined;
    }, 5000);
    expect(fresh.length).toBeGreaterThan(0);
    await waitFor(() => receiver.received.some((hook) => hook.type === type), 5000);
  }, 30_000);
});
