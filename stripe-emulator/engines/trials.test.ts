// Free trials through the real SDK: `trial_period_days` / `trial_end` on subscriptions.create and on Checkout's
// `subscription_data`, the $0 first invoice, `trial_will_end` three days before the end, and what the trial's end
// does with a payment method (first paid invoice, active) and without one (`missing_payment_method`).
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { postForm, startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;
let price: Stripe.Price;

const DAY = 24 * 3600;
const JUN_1 = Date.UTC(2027, 5, 1) / 1000;
const TRIAL_END = JUN_1 + 14 * DAY;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
  const product = await stripe.products.create({ name: "Pro" });
  price = await stripe.prices.create({ product: product.id, unit_amount: 1999, currency: "usd", recurring: { interval: "month" } }); // $19.99
});
afterAll(async () => {
  await emulator.close();
});

async function clockedCustomer(card?: string) {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JUN_1 });
  const customer = await stripe.customers.create({
    email: "trial@example.com",
    test_clock: clock.id,
    ...(card ? { payment_method: card, invoice_settings: { default_payment_method: card } } : {}),
  });
  return { clock, customer };
}

async function eventsOf<T extends Stripe.Event["type"]>(type: T, objectId: string): Promise<Array<Extract<Stripe.Event, { type: T }>>> {
  const events = await stripe.events.list({ type, limit: 100 });
  return events.data
    .filter((event): event is Extract<Stripe.Event, { type: T }> => event.type === type && "id" in event.data.object && event.data.object.id === objectId)
    .reverse();
}

describe("trials", () => {
  it("starts trialing with a paid $0 invoice and no charge", async () => {
    const { customer } = await clockedCustomer("pm_card_visa");
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 14 });
    expect(subscription.status).toBe("trialing");
    expect(subscription.trial_start).toBe(JUN_1);
    expect(subscription.trial_end).toBe(TRIAL_END);
    expect(subscription.billing_cycle_anchor).toBe(TRIAL_END);
    expect(subscription.items.data[0]?.current_period_end).toBe(TRIAL_END);
    const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice), { expand: ["payments"] });
    expect(invoice.billing_reason).toBe("subscription_create");
    expect(invoice.total).toBe(0);
    expect(invoice.status).toBe("paid");
    expect(invoice.lines.data.map((line) => [line.amount, line.description])).toEqual([[0, "Trial period for Pro"]]);
    expect(invoice.payments?.data).toHaveLength(0);
    expect((await eventsOf("invoice.paid", invoice.id)).length).toBe(1);
  });

  it("sends trial_will_end three days before the end, then bills the first period and goes active", async () => {
    const { clock, customer } = await clockedCustomer("pm_card_visa");
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_end: TRIAL_END });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: TRIAL_END - 3 * DAY - 60 });
    expect(await eventsOf("customer.subscription.trial_will_end", subscription.id)).toHaveLength(0);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: TRIAL_END - 3 * DAY });
    const notices = await eventsOf("customer.subscription.trial_will_end", subscription.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.data.object.status).toBe("trialing");
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: TRIAL_END + 60 });
    expect(await eventsOf("customer.subscription.trial_will_end", subscription.id)).toHaveLength(1);

    const active = await stripe.subscriptions.retrieve(subscription.id);
    expect(active.status).toBe("active");
    expect(active.items.data[0]?.current_period_start).toBe(TRIAL_END);
    expect(active.items.data[0]?.current_period_end).toBe(TRIAL_END + 30 * DAY); // 15 Jun → 15 Jul
    const invoice = await stripe.invoices.retrieve(String(active.latest_invoice));
    expect(invoice.billing_reason).toBe("subscription_cycle");
    expect(invoice.status).toBe("paid");
    expect(invoice.amount_paid).toBe(1999);
    const update = (await eventsOf("customer.subscription.updated", subscription.id)).at(-1);
    expect(update?.data.object.status).toBe("active");
    expect(update?.data.previous_attributes).toMatchObject({ status: "trialing" });
  });

  it("without a payment method: create_invoice (default) fails the first invoice into past_due", async () => {
    const { clock, customer } = await clockedCustomer();
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 14 });
    expect(subscription.trial_settings?.end_behavior.missing_payment_method).toBe("create_invoice");
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: TRIAL_END + 60 });
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after.status).toBe("past_due");
    const invoice = await stripe.invoices.retrieve(String(after.latest_invoice));
    expect(invoice.status).toBe("open");
    expect(invoice.next_payment_attempt).toBeNull(); // Stripe does not retry without a payment method
    expect(await eventsOf("invoice.payment_failed", invoice.id)).toHaveLength(1);
  });

  it("without a payment method: pause → paused (customer.subscription.paused), cancel → canceled", async () => {
    const paused = await clockedCustomer();
    const toPause = await stripe.subscriptions.create({
      customer: paused.customer.id,
      items: [{ price: price.id }],
      trial_period_days: 14,
      trial_settings: { end_behavior: { missing_payment_method: "pause" } },
    });
    await stripe.testHelpers.testClocks.advance(paused.clock.id, { frozen_time: TRIAL_END + 60 });
    expect((await stripe.subscriptions.retrieve(toPause.id)).status).toBe("paused");
    expect(await eventsOf("customer.subscription.paused", toPause.id)).toHaveLength(1);
    expect((await stripe.invoices.list({ subscription: toPause.id })).data).toHaveLength(1); // only the $0 one

    const canceled = await clockedCustomer();
    const toCancel = await stripe.subscriptions.create({
      customer: canceled.customer.id,
      items: [{ price: price.id }],
      trial_period_days: 14,
      trial_settings: { end_behavior: { missing_payment_method: "cancel" } },
    });
    await stripe.testHelpers.testClocks.advance(canceled.clock.id, { frozen_time: TRIAL_END + 60 });
    expect((await stripe.subscriptions.retrieve(toCancel.id)).status).toBe("canceled");
    expect(await eventsOf("customer.subscription.deleted", toCancel.id)).toHaveLength(1);
  });

  it("trial_end=now ends the trial at once and bills", async () => {
    const { customer } = await clockedCustomer("pm_card_visa");
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 14 });
    const ended = await stripe.subscriptions.update(subscription.id, { trial_end: "now" });
    expect(ended.status).toBe("active");
    expect(ended.trial_end).toBe(JUN_1);
    expect((await stripe.invoices.retrieve(String(ended.latest_invoice))).amount_paid).toBe(1999);
  });

  it("Checkout's subscription_data.trial_period_days starts a trial with nothing due today", async () => {
    const { clock, customer } = await clockedCustomer();
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      subscription_data: { trial_period_days: 14 },
      success_url: "http://app.local/ok",
    });
    expect(session.amount_total).toBe(0);
    expect((await postForm(`${session.url}/pay`, { card_number: "4242 4242 4242 4242" })).status).toBe(303);
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
    expect(completed.payment_status).toBe("no_payment_required");
    const subscription = completed.subscription;
    if (typeof subscription !== "object" || subscription === null) throw new Error("subscription not expanded");
    expect(subscription.status).toBe("trialing");
    expect(subscription.trial_end).toBe(TRIAL_END);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: TRIAL_END + 60 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
  });

  it("Checkout with a trial saves 0341 (nothing is charged yet); the charge at the trial's end fails", async () => {
    const { clock, customer } = await clockedCustomer();
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      subscription_data: { trial_end: TRIAL_END },
      success_url: "http://app.local/ok",
    });
    expect((await postForm(`${session.url}/pay`, { card_number: "4000 0000 0000 0341" })).status).toBe(303);
    const subscriptionId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("trialing");
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: TRIAL_END + 60 });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("past_due");
  });

  it("Checkout with payment_method_collection=if_required may start a trial without a card", async () => {
    const { customer } = await clockedCustomer();
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      payment_method_collection: "if_required",
      subscription_data: { trial_period_days: 7, trial_settings: { end_behavior: { missing_payment_method: "cancel" } } },
      success_url: "http://app.local/ok",
    });
    expect(await (await fetch(session.url ?? "")).text()).toContain("a card is optional");
    expect((await postForm(`${session.url}/pay`, { card_number: "" })).status).toBe(303);
    const subscriptionId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    expect(subscription.status).toBe("trialing");
    expect(subscription.default_payment_method).toBeNull();
    expect(subscription.trial_settings?.end_behavior.missing_payment_method).toBe("cancel");

    const always = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      subscription_data: { trial_period_days: 7 },
      success_url: "http://app.local/ok",
    });
    expect((await postForm(`${always.url}/pay`, { card_number: "" })).status).toBe(402);
  });
});
