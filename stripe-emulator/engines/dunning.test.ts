// Dunning through the real SDK: a renewal that fails (card 4000 0000 0000 0341 made the default after
// subscribing) leaves the invoice open and the subscription past_due, retries follow the schedule as the clock
// moves (3, 5, 7 days after the previous attempt by default), and the final failure cancels or marks unpaid.
import type Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { postForm, startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;
let price: Stripe.Price;

const DAY = 24 * 3600;
const MAR_1 = Date.UTC(2027, 2, 1) / 1000;
const APR_1 = Date.UTC(2027, 3, 1) / 1000;
const MAY_1 = Date.UTC(2027, 4, 1) / 1000;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
  price = await stripe.prices.create({ product_data: { name: "Pro" }, unit_amount: 1500, currency: "gbp", recurring: { interval: "month" } }); // £15.00
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  await postForm(`${emulator.url}/_emulator/billing_settings`, { retry_days: "3,5,7", subscription_after_final_failure: "cancel", invoice_after_final_failure: "leave_open" });
});

/** Subscribe through Checkout with 4242 on a test clock, then make a card that fails off-session the default. */
async function subscribedThenFailingCard() {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: MAR_1 });
  const customer = await stripe.customers.create({ email: "dunning@example.com", test_clock: clock.id });
  const session = await stripe.checkout.sessions.create({ mode: "subscription", customer: customer.id, line_items: [{ price: price.id, quantity: 1 }], success_url: "http://app.local/ok" });
  expect((await postForm(`${session.url}/pay`, { card_number: "4242 4242 4242 4242" })).status).toBe(303);
  const subscriptionId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
  const failing = await stripe.paymentMethods.create({ type: "card", card: { token: "tok_chargeCustomerFail" } });
  await stripe.paymentMethods.attach(failing.id, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
  // Checkout made the 4242 card the subscription's default, which Stripe charges before the customer's.
  await stripe.subscriptions.update(subscriptionId, { default_payment_method: failing.id });
  return { clock, customer, subscriptionId };
}

async function eventsOf<T extends Stripe.Event["type"]>(type: T, objectId: string): Promise<Array<Extract<Stripe.Event, { type: T }>>> {
  const events = await stripe.events.list({ type, limit: 100 });
  return events.data
    .filter((event): event is Extract<Stripe.Event, { type: T }> => event.type === type && "id" in event.data.object && event.data.object.id === objectId)
    .reverse();
}

async function latestInvoice(subscriptionId: string): Promise<Stripe.Invoice> {
  const invoice = (await stripe.invoices.list({ subscription: subscriptionId, limit: 1 })).data[0];
  if (!invoice) throw new Error("no invoice");
  return invoice;
}

describe("dunning", () => {
  it("4000 0000 0000 0341 attaches, but Checkout's first payment with it fails like any decline", async () => {
    const session = await stripe.checkout.sessions.create({ mode: "subscription", customer_email: "fails@example.com", line_items: [{ price: price.id, quantity: 1 }], success_url: "http://app.local/ok" });
    const response = await postForm(`${session.url}/pay`, { card_number: "4000 0000 0000 0341" });
    expect(response.status).toBe(402);
    expect(await response.text()).toContain("Your card was declined.");
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after.status).toBe("open");
    expect(after.subscription).toBeNull();
  });

  it("retries a failed renewal 3, 5 and 7 days after each attempt, then cancels with the invoice left open", async () => {
    const { clock, subscriptionId } = await subscribedThenFailingCard();
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: APR_1 + 60 });
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    expect(subscription.status).toBe("past_due");
    const invoice = await latestInvoice(subscriptionId);
    expect(invoice.billing_reason).toBe("subscription_cycle");
    expect(invoice.status).toBe("open");
    expect(invoice.attempt_count).toBe(1);
    expect(invoice.next_payment_attempt).toBe(APR_1 + 3 * DAY);
    const pastDue = (await eventsOf("customer.subscription.updated", subscriptionId)).at(-1);
    expect(pastDue?.data.object.status).toBe("past_due");
    expect(pastDue?.data.previous_attributes).toEqual({ status: "active" });

    const schedule: Array<[number, number | null]> = [
      [APR_1 + 3 * DAY, APR_1 + 8 * DAY], // attempt 2, then 5 days later
      [APR_1 + 8 * DAY, APR_1 + 15 * DAY], // attempt 3, then 7 days later
    ];
    for (const [at, next] of schedule) {
      await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: at });
      const retried = await stripe.invoices.retrieve(invoice.id);
      expect(retried.next_payment_attempt).toBe(next);
      expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("past_due");
    }
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: APR_1 + 15 * DAY });
    const final = await stripe.invoices.retrieve(invoice.id, { expand: ["payments"] });
    expect(final.attempt_count).toBe(4);
    expect(final.next_payment_attempt).toBeNull();
    expect(final.status).toBe("open");
    expect(final.payments?.data).toHaveLength(1); // one PaymentIntent, a new charge per attempt
    const canceled = await stripe.subscriptions.retrieve(subscriptionId);
    expect(canceled.status).toBe("canceled");
    expect(canceled.cancellation_details?.reason).toBe("payment_failed");
    expect(canceled.ended_at).toBe(APR_1 + 15 * DAY);

    const failures = await eventsOf("invoice.payment_failed", invoice.id);
    expect(failures.map((event) => [event.data.object.attempt_count, event.data.object.next_payment_attempt])).toEqual([
      [1, APR_1 + 3 * DAY],
      [2, APR_1 + 8 * DAY],
      [3, APR_1 + 15 * DAY],
      [4, null],
    ]);
    const paymentIntentId = final.payments?.data[0]?.payment.payment_intent;
    const intentFailures = await eventsOf("payment_intent.payment_failed", typeof paymentIntentId === "string" ? paymentIntentId : "");
    expect(intentFailures).toHaveLength(4);
    const chargeFailures = (await stripe.events.list({ type: "charge.failed", limit: 100 })).data.filter(
      (event) => event.type === "charge.failed" && event.data.object.payment_intent === paymentIntentId,
    );
    expect(chargeFailures).toHaveLength(4);
    expect(await eventsOf("customer.subscription.deleted", subscriptionId)).toHaveLength(1);
  });

  it("runs a whole dunning cycle in time order within one long advance, with no renewal after the cancellation", async () => {
    const { clock, subscriptionId } = await subscribedThenFailingCard();
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: MAY_1 + 10 * DAY });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("canceled");
    const invoices = await stripe.invoices.list({ subscription: subscriptionId });
    expect(invoices.data.map((invoice) => [invoice.billing_reason, invoice.status])).toEqual([
      ["subscription_cycle", "open"],
      ["subscription_create", "paid"],
    ]);
    expect((await eventsOf("invoice.payment_failed", invoices.data[0]?.id ?? "")).map((event) => event.data.object.attempt_count)).toEqual([1, 2, 3, 4]);
  });

  it("can end in unpaid with the invoice marked uncollectible; an unpaid subscription keeps invoicing without attempts", async () => {
    await postForm(`${emulator.url}/_emulator/billing_settings`, { subscription_after_final_failure: "unpaid", invoice_after_final_failure: "mark_uncollectible", retry_days: "2" });
    const settings = await (await fetch(`${emulator.url}/_emulator/billing_settings`)).json();
    expect(settings).toEqual({ retryDays: [2], subscriptionAfterFinalFailure: "unpaid", invoiceAfterFinalFailure: "mark_uncollectible" });
    const { clock, subscriptionId } = await subscribedThenFailingCard();
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: APR_1 + 2 * DAY });
    const invoice = await latestInvoice(subscriptionId);
    expect(invoice.attempt_count).toBe(2);
    expect(invoice.status).toBe("uncollectible");
    expect(await eventsOf("invoice.marked_uncollectible", invoice.id)).toHaveLength(1);
    const unpaid = await stripe.subscriptions.retrieve(subscriptionId);
    expect(unpaid.status).toBe("unpaid");
    const update = (await eventsOf("customer.subscription.updated", subscriptionId)).at(-1);
    expect(update?.data.previous_attributes).toEqual({ status: "past_due" });
    expect(await eventsOf("customer.subscription.deleted", subscriptionId)).toHaveLength(0);

    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: MAY_1 + 60 });
    const next = await latestInvoice(subscriptionId);
    expect(next.id).not.toBe(invoice.id);
    expect(next.status).toBe("open");
    expect(next.attempt_count).toBe(0);
    expect(next.next_payment_attempt).toBeNull();
  });

  it("a retry after the card is replaced through the API pays the invoice and reactivates the subscription", async () => {
    const { clock, customer, subscriptionId } = await subscribedThenFailingCard();
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: APR_1 + 60 });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("past_due");
    const invoice = await latestInvoice(subscriptionId);
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: "pm_card_visa" } });
    await stripe.subscriptions.update(subscriptionId, { default_payment_method: "pm_card_visa" });
    // Nothing is charged until the next scheduled attempt.
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe("open");
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: APR_1 + 3 * DAY });
    const paid = await stripe.invoices.retrieve(invoice.id);
    expect(paid.status).toBe("paid");
    expect(paid.attempt_count).toBe(2);
    expect(paid.next_payment_attempt).toBeNull();
    const active = await stripe.subscriptions.retrieve(subscriptionId);
    expect(active.status).toBe("active");
    expect((await eventsOf("customer.subscription.updated", subscriptionId)).at(-1)?.data.previous_attributes).toEqual({ status: "past_due" });
    expect(await eventsOf("invoice.paid", invoice.id)).toHaveLength(1);
  });

  it("works on the emulator's own clock too (POST /_emulator/advance), for customers Checkout created", async () => {
    const session = await stripe.checkout.sessions.create({ mode: "subscription", customer_email: "own-clock@example.com", line_items: [{ price: price.id, quantity: 1 }], success_url: "http://app.local/ok" });
    await postForm(`${session.url}/pay`, { card_number: "4242424242424242" });
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    const subscriptionId = String(completed.subscription);
    await stripe.subscriptions.update(subscriptionId, { default_payment_method: "pm_card_chargeCustomerFail" });
    const advance = async (days: number) => (await postForm(`${emulator.url}/_emulator/advance`, { seconds: String(days * DAY) })).json();
    expect(await advance(32)).toMatchObject({ renewals: 1 });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("past_due");
    expect(await advance(16)).toMatchObject({ retries: 3 });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("canceled");
  });
});
