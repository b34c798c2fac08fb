// Webhook delivery: Stripe's signature (SDK and independent HMAC), retries on 500, none on 2xx.
import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver, startTestEmulator, waitFor, type WebhookReceiver } from "../testing";
import type { RunningEmulator } from "../index";

const SECRET = "whsec_webhook_test_secret";
let running: Array<RunningEmulator | WebhookReceiver> = [];

afterEach(async () => {
  await Promise.all(running.map((item) => item.close()));
  running = [];
});

describe("webhook delivery", () => {
  it("signs like Stripe: constructEvent and an independent HMAC both verify", async () => {
    const receiver = await startReceiver();
    const { emulator, stripe } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }] });
    running.push(emulator, receiver);
    const customer = await stripe.customers.create({ email: "hook@example.com" });
    const delivery = await waitFor(() => receiver.received.find((hook) => hook.type === "customer.created"));
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET);
    expect(event.type).toBe("customer.created");
    expect(event.data.object).toMatchObject({ id: customer.id });
    const parts = Object.fromEntries(delivery.signature.split(",").map((part) => part.split("=") as [string, string]));
    const expected = createHmac("sha256", SECRET).update(`${parts.t}.${delivery.body}`).digest("hex");
    expect(parts.v1).toBe(expected);
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_wrong")).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it("retries a 500 with backoff and does not retry a 2xx", async () => {
    const receiver = await startReceiver();
    receiver.respondWith = (attempt) => (attempt <= 2 ? 500 : 200);
    const { emulator, stripe } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }], retrySpeedup: 600 });
    running.push(emulator, receiver);
    await stripe.products.create({ name: "Retry me" }); // one event: product.created
    await waitFor(() => receiver.received.length >= 3, 8000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.map((hook) => hook.type)).toEqual(["product.created", "product.created", "product.created"]);
    const response = await fetch(`${emulator.url}/_emulator/deliveries`);
    const body: { data: Array<{ state: string; attempts: Array<{ status: number | null }> }> } = await response.json();
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.state).toBe("succeeded");
    expect(body.data[0]?.attempts.map((attempt) => attempt.status)).toEqual([500, 500, 200]);
  });

  it("emits a paid top-up in Stripe's order", async () => {
    const receiver = await startReceiver();
    const { emulator, stripe } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }] });
    running.push(emulator, receiver);
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "eur", unit_amount: 1500, product_data: { name: "Credits" } }, quantity: 1 }], // €15.00
      success_url: "http://app.local/ok",
    });
    await fetch(`${session.url}/pay`, { method: "POST", body: "card_number=4242424242424242", headers: { "Content-Type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    await waitFor(() => receiver.received.some((hook) => hook.type === "charge.succeeded"));
    const types = receiver.received.map((hook) => hook.type).filter((type) => type.startsWith("checkout") || type.startsWith("payment_intent") || type.startsWith("charge"));
    expect(types).toEqual(["checkout.session.completed", "payment_intent.succeeded", "charge.succeeded"]);
  });
});
