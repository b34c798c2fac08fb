// Contract suite: only the real `stripe` SDK against a started emulator.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "./index";
import { expectStripeError, postForm, startTestEmulator } from "./testing";

let emulator: RunningEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
});

describe("customers", () => {
  it("creates, retrieves, lists, updates and paginates", async () => {
    const created = await stripe.customers.create({ email: "ada@example.com", metadata: { userId: "42" } });
    expect(created.id).toMatch(/^cus_/);
    const retrieved = await stripe.customers.retrieve(created.id);
    expect(!retrieved.deleted && retrieved.email).toBe("ada@example.com");
    const updated = await stripe.customers.update(created.id, { name: "Ada", metadata: { plan: "pro" } });
    expect(updated.metadata).toEqual({ userId: "42", plan: "pro" });
    for (let index = 0; index < 3; index++) await stripe.customers.create({ email: `page${index}@example.com` });
    const first = await stripe.customers.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const second = await stripe.customers.list({ limit: 2, starting_after: first.data[1]?.id });
    expect(second.data[0]?.id).not.toBe(first.data[1]?.id);
    const all = await stripe.customers.list({ limit: 100 });
    expect(all.data.map((customer) => customer.id)).toContain(created.id);
  });
});

describe("products and prices", () => {
  it("supports lookup keys, lists and expand", async () => {
    const product = await stripe.products.create({ name: "Pro plan" });
    const updatedProduct = await stripe.products.update(product.id, { description: "Monthly" });
    expect(updatedProduct.description).toBe("Monthly");
    expect((await stripe.products.retrieve(product.id)).name).toBe("Pro plan");
    const price = await stripe.prices.create({ product: product.id, unit_amount: 1999, currency: "gbp", recurring: { interval: "month" }, lookup_key: "pro_monthly_contract" }); // £19.99
    const found = await stripe.prices.list({ lookup_keys: ["pro_monthly_contract"], expand: ["data.product"] });
    expect(found.data.map((p) => p.id)).toEqual([price.id]);
    const expandedProduct = found.data[0]?.product;
    expect(typeof expandedProduct === "object" && expandedProduct !== null && "name" in expandedProduct ? expandedProduct.name : null).toBe("Pro plan");
    const updatedPrice = await stripe.prices.update(price.id, { metadata: { tier: "pro" } });
    expect(updatedPrice.metadata.tier).toBe("pro");
    expect((await stripe.products.list({ limit: 100 })).data.some((p) => p.id === product.id)).toBe(true);
  });
});

describe("checkout, payment intents, charges, refunds", () => {
  it("completes a payment-mode session on the hosted page and refunds partially", async () => {
    const customer = await stripe.customers.create({ email: "buyer@example.com" });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      client_reference_id: "user_1",
      metadata: { kind: "topup" },
      line_items: [{ price_data: { currency: "usd", unit_amount: 500, product_data: { name: "500 credits" } }, quantity: 2 }], // $10.00
      success_url: "http://app.local/done?session={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.local/cancel",
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${emulator.url}/checkout/${session.id}`);
    const page = await fetch(session.url ?? "");
    expect(await page.text()).toContain("$10.00");
    const paid = await postForm(`${session.url}/pay`, { card_number: "4242 4242 4242 4242" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.local/done?session=${session.id}`);
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["line_items", "payment_intent.latest_charge"] });
    expect(completed.status).toBe("complete");
    expect(completed.payment_status).toBe("paid");
    expect(completed.line_items?.data[0]?.amount_total).toBe(1000);
    const paymentIntent = completed.payment_intent;
    if (typeof paymentIntent !== "object" || paymentIntent === null) throw new Error("payment_intent not expanded");
    expect(paymentIntent.status).toBe("succeeded");
    const charge = paymentIntent.latest_charge;
    if (typeof charge !== "object" || charge === null) throw new Error("latest_charge not expanded");
    expect((await stripe.charges.retrieve(charge.id)).amount).toBe(1000);
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 300 }); // $3.00
    expect(refund.id).toMatch(/^re_/);
    expect((await stripe.charges.retrieve(charge.id)).amount_refunded).toBe(300);
    expect((await stripe.refunds.update(refund.id, { metadata: { reason: "partial" } })).metadata).toEqual({ reason: "partial" });
    expect((await stripe.refunds.list({ charge: charge.id })).data).toHaveLength(1);
    const rest = await stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(700);
    expect((await stripe.charges.retrieve(charge.id)).refunded).toBe(true);
    expect((await stripe.checkout.sessions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([session.id]);
    const updatedIntent = await stripe.paymentIntents.update(paymentIntent.id, { metadata: { note: "x" } });
    expect(updatedIntent.metadata.note).toBe("x");
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it("returns 402 card_error for a declined card and keeps the intent", async () => {
    const error = await expectStripeError(
      stripe.paymentIntents.create({ amount: 2000, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true }),
    );
    expect(error.statusCode).toBe(402);
    expect(error.type).toBe("StripeCardError");
    expect(error.code).toBe("card_declined");
    expect(error.message).toBe("Your card was declined.");
    const intentId = error.payment_intent?.id ?? "";
    expect((await stripe.paymentIntents.retrieve(intentId)).status).toBe("requires_payment_method");
  });
});

describe("errors, idempotency", () => {
  it("answers 400, 401 and 404 in Stripe's shape", async () => {
    const bad = await expectStripeError(stripe.prices.create({ currency: "usd", unit_amount: 100 }));
    expect(bad.statusCode).toBe(400);
    expect(bad.type).toBe("StripeInvalidRequestError");
    expect(bad.param).toBe("product");
    const missing = await expectStripeError(stripe.customers.retrieve("cus_missing"));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("resource_missing");
    const live = new Stripe("sk_live_nope", { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
    const unauthorised = await expectStripeError(live.customers.list());
    expect(unauthorised.statusCode).toBe(401);
    expect(unauthorised.type).toBe("StripeAuthenticationError");
  });

  it("rejects a bare `sk_test_` prefix with 401 in Stripe's shape", async () => {
    const empty = new Stripe("sk_test_", { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
    const unauthorised = await expectStripeError(empty.customers.list());
    expect(unauthorised.statusCode).toBe(401);
    expect(unauthorised.type).toBe("StripeAuthenticationError");
    expect(unauthorised.code).toBe("api_key_invalid");
    expect(unauthorised.message).toBe("Invalid API Key provided: sk_test_");
    const raw = await fetch(`${emulator.url}/v1/customers`, { headers: { Authorization: "Bearer sk_test_" } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ error: { type: "invalid_request_error", code: "api_key_invalid", message: "Invalid API Key provided: sk_test_" } });
  });

  it("replays the first response for an idempotency key and rejects different params", async () => {
    const first = await stripe.customers.create({ email: "idem@example.com" }, { idempotencyKey: "idem-contract-1" });
    const replay = await stripe.customers.create({ email: "idem@example.com" }, { idempotencyKey: "idem-contract-1" });
    expect(replay.id).toBe(first.id);
    const reused = await expectStripeError(stripe.customers.create({ email: "other@example.com" }, { idempotencyKey: "idem-contract-1" }));
    expect(reused.statusCode).toBe(400);
    expect(reused.type).toBe("StripeIdempotencyError");
  });
});

describe("subscriptions, invoices, portal, disputes, events", () => {
  it("subscribes through checkout, renews on advance and fails a renewal into past_due", async () => {
    const product = await stripe.products.create({ name: "Team" });
    const price = await stripe.prices.create({ product: product.id, unit_amount: 4900, currency: "usd", recurring: { interval: "month" } }); // $49.00
    const session = await stripe.checkout.sessions.create({ mode: "subscription", customer_email: "team@example.com", line_items: [{ price: price.id, quantity: 1 }], success_url: "http://app.local/ok" });
    expect((await postForm(`${session.url}/pay`, { card_number: "4242424242424242" })).status).toBe(303);
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
    const subscription = completed.subscription;
    if (typeof subscription !== "object" || subscription === null) throw new Error("subscription not expanded");
    expect(subscription.status).toBe("active");
    const item = subscription.items.data[0];
    expect(item?.current_period_end).toBeGreaterThan(item?.current_period_start ?? Infinity);
    const firstInvoice = await stripe.invoices.retrieve(String(completed.invoice), { expand: ["payments"] });
    expect(firstInvoice.status).toBe("paid");
    expect(firstInvoice.payments?.data[0]?.payment.type).toBe("payment_intent");
    const listed = await stripe.subscriptions.list({ customer: String(completed.customer) });
    expect(listed.data.map((s) => s.id)).toEqual([subscription.id]);

    await postForm(`${emulator.url}/_emulator/advance`, { seconds: String(32 * 24 * 3600) });
    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((invoice) => invoice.status)).toEqual(["paid", "paid"]);

    await stripe.customers.update(String(completed.customer), { invoice_settings: { default_payment_method: "pm_card_chargeCustomerFail" } });
    await stripe.subscriptions.update(subscription.id, { default_payment_method: "pm_card_chargeCustomerFail" });
    await postForm(`${emulator.url}/_emulator/advance`, { seconds: String(32 * 24 * 3600) });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    const failed = await stripe.events.list({ type: "invoice.payment_failed" });
    expect(failed.data.length).toBeGreaterThan(0);

    const portal = await stripe.billingPortal.sessions.create({ customer: String(completed.customer), return_url: "http://app.local/billing" });
    expect(portal.id).toMatch(/^bps_/);
    const portalPage = await (await fetch(portal.url)).text();
    expect(portalPage).toContain("Cancel at period end");
    await postForm(`${portal.url}/subscriptions/${subscription.id}/cancel`, { when: "period_end" });
    expect((await stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(true);
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe("canceled");
    const deleted = await stripe.events.list({ type: "customer.subscription.deleted", limit: 1 });
    expect(deleted.data[0]?.data.object).toMatchObject({ id: subscription.id });
  });

  it("runs draft → open → paid and uncollectible invoices", async () => {
    const customer = await stripe.customers.create({ email: "inv@example.com" });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 2000, currency: "usd" }); // $20.00
    const draft = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include" });
    expect(draft.status).toBe("draft");
    expect(draft.total).toBe(2000);
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open.status).toBe("open");
    const paid = await stripe.invoices.pay(open.id, { payment_method: "pm_card_visa" });
    expect(paid.status).toBe("paid");
    await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: "usd" }); // $5.00
    const other = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include" });
    await stripe.invoices.finalizeInvoice(other.id);
    const uncollectible = await stripe.invoices.markUncollectible(other.id);
    expect(uncollectible.status).toBe("uncollectible");
    expect((await stripe.invoices.update(paid.id, { metadata: { a: "b" } })).metadata).toEqual({ a: "b" });
  });

  it("opens a dispute for the dispute card and closes it via the control endpoint", async () => {
    const intent = await stripe.paymentIntents.create({ amount: 100, currency: "usd", payment_method: "pm_card_createDispute", confirm: true });
    const disputes = await stripe.disputes.list({ payment_intent: intent.id });
    const dispute = disputes.data[0];
    expect(dispute?.id).toMatch(/^dp_/);
    expect(dispute?.status).toBe("needs_response");
    const response = await postForm(`${emulator.url}/_emulator/disputes/${dispute?.id}/close`, { outcome: "won" });
    expect(response.status).toBe(200);
    expect((await stripe.disputes.retrieve(dispute?.id ?? "")).status).toBe("won");
    const closed = await stripe.events.list({ type: "charge.dispute.closed", limit: 1 });
    const event = await stripe.events.retrieve(closed.data[0]?.id ?? "");
    expect(event.api_version).toBe("2026-10-28.endive");
    expect(event.livemode).toBe(false);
    expect(event.data.previous_attributes).toEqual({ status: "needs_response" });
  });

  it("advances a Stripe test clock", async () => {
    const frozen = Math.floor(Date.now() / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen });
    const customer = await stripe.customers.create({ test_clock: clock.id, payment_method: "pm_card_visa", invoice_settings: { default_payment_method: "pm_card_visa" } });
    const price = await stripe.prices.create({ product_data: { name: "Clocked" }, unit_amount: 900, currency: "usd", recurring: { interval: "month" } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(subscription.status).toBe("active");
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: frozen + 40 * 24 * 3600 });
    expect((await stripe.invoices.list({ customer: customer.id })).data).toHaveLength(2);
  });
});
