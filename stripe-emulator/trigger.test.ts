// The official Stripe CLI's `stripe trigger` runs against the emulator and its events
// reach a local webhook receiver.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "./index";
import { startReceiver, startTestEmulator, waitFor, type WebhookReceiver } from "./test-helpers";
import { runStripeTrigger } from "./trigger";

let emulator: RunningEmulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  ({ emulator } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: "whsec_trigger_test" }] }));
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

const TRIGGERS = ["checkout.session.completed", "customer.subscription.created", "invoice.paid", "charge.refunded", "charge.dispute.created"];

describe("stripe trigger", () => {
  it.each(TRIGGERS)("%s completes and is delivered", async (event) => {
    const result = await runStripeTrigger({ event, apiBase: emulator.url });
    expect(result.output).toContain("Trigger succeeded");
    expect(result.code).toBe(0);
    await waitFor(() => receiver.received.some((hook) => hook.type === event), 5000);
  }, 30_000);
});
