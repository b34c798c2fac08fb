// invoices.createPreview through the real SDK, on test clocks so that every amount is exact: a Pro $10.00
// subscription started 1 Jan 2027 (period 1 Jan–1 Feb, 31 days) and a Team $30.00 price.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { expectStripeError, startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;
let pro: Stripe.Price;
let team: Stripe.Price;

const DAY = 24 * 3600;
const JAN_1 = Date.UTC(2027, 0, 1) / 1000;
const JAN_11 = JAN_1 + 10 * DAY;
const FEB_1 = Date.UTC(2027, 1, 1) / 1000;
const MAR_1 = Date.UTC(2027, 2, 1) / 1000;
const CREDIT_PRO_21_DAYS = -677; // -$10.00 × 21/31 → -$6.77
const CHARGE_TEAM_21_DAYS = 2032; // $30.00 × 21/31 → $20.32

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
  const proProduct = await stripe.products.create({ name: "Pro" });
  const teamProduct = await stripe.products.create({ name: "Team" });
  pro = await stripe.prices.create({ product: proProduct.id, unit_amount: 1000, currency: "usd", recurring: { interval: "month" } }); // $10.00
  team = await stripe.prices.create({ product: teamProduct.id, unit_amount: 3000, currency: "usd", recurring: { interval: "month" } }); // $30.00
});
afterAll(async () => {
  await emulator.close();
});

async function proSubscription(at: number) {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
  const customer = await stripe.customers.create({ test_clock: clock.id, payment_method: "pm_card_visa", invoice_settings: { default_payment_method: "pm_card_visa" } });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
  if (at > JAN_1) await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: at });
  return { customer, subscription, itemId: subscription.items.data[0]?.id ?? "" };
}

const isProration = (line: Stripe.InvoiceLineItem) => line.parent?.subscription_item_details?.proration === true;

describe("invoices.createPreview", () => {
  it("the next invoice of a subscription: next period's line and total, created and attempted at the period end, stored nowhere", async () => {
    const { customer, subscription } = await proSubscription(JAN_11);
    const preview = await stripe.invoices.createPreview({ customer: customer.id, subscription: subscription.id });
    expect(preview.id).toMatch(/^upcoming_in_/);
    expect(preview).toMatchObject({
      object: "invoice",
      status: "draft",
      billing_reason: "upcoming",
      customer: customer.id,
      currency: "usd",
      total: 1000, // $10.00
      amount_due: 1000,
      created: FEB_1,
      next_payment_attempt: FEB_1,
      period_start: JAN_1,
      period_end: FEB_1,
      parent: { type: "subscription_details", subscription_details: { subscription: subscription.id } },
    });
    expect(preview.lines.data).toHaveLength(1);
    expect(preview.lines.data[0]).toMatchObject({ amount: 1000, period: { start: FEB_1, end: MAR_1 }, invoice: preview.id });
    // A preview is not an invoice: listing and retrieving do not find it.
    const listed = await stripe.invoices.list({ customer: customer.id });
    expect(listed.data.map((invoice) => invoice.id)).not.toContain(preview.id);
    expect(await expectStripeError(stripe.invoices.retrieve(preview.id))).toMatchObject({ statusCode: 404 });
    // Only `subscription` is enough: the customer is the subscription's.
    expect(await stripe.invoices.createPreview({ subscription: subscription.id })).toMatchObject({ total: 1000, customer: customer.id });
  });

  it("a plan switch invoiced now (always_invoice): the prorations as of proration_date, and nothing changes on the subscription", async () => {
    const { customer, subscription, itemId } = await proSubscription(JAN_11);
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: subscription.id,
      subscription_details: { items: [{ id: itemId, price: team.id }], proration_behavior: "always_invoice", proration_date: JAN_11 },
    });
    expect(preview.lines.data.every(isProration)).toBe(true);
    expect(preview.lines.data.map((line) => line.amount).sort((a, b) => a - b)).toEqual([CREDIT_PRO_21_DAYS, CHARGE_TEAM_21_DAYS]);
    expect(preview).toMatchObject({ total: CREDIT_PRO_21_DAYS + CHARGE_TEAM_21_DAYS, amount_due: 1355, created: JAN_11, next_payment_attempt: JAN_11 }); // $13.55
    expect(preview.parent?.subscription_details?.subscription_proration_date).toBe(JAN_11);

    // The preview changed nothing: the subscription is still on Pro with no pending items, and the real update charges the same.
    const unchanged = await stripe.subscriptions.retrieve(subscription.id);
    expect(unchanged.items.data[0]?.price.id).toBe(pro.id);
    expect((await stripe.invoiceItems.list({ customer: customer.id })).data).toEqual([]);
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: team.id }], proration_behavior: "always_invoice", proration_date: JAN_11 });
    const latest = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(latest).toMatchObject({ total: preview.total, amount_paid: preview.amount_due, billing_reason: "subscription_update" });
  });

  it("a plan switch with create_prorations: the next invoice carries the prorations and the next period at the new price", async () => {
    const { customer, subscription, itemId } = await proSubscription(JAN_11);
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: subscription.id,
      subscription_details: { items: [{ id: itemId, price: team.id }], proration_date: JAN_11 },
    });
    expect(preview).toMatchObject({ total: CREDIT_PRO_21_DAYS + CHARGE_TEAM_21_DAYS + 3000, created: FEB_1 }); // $13.55 + $30.00
    expect(preview.lines.data.filter((line) => !isProration(line))).toMatchObject([{ amount: 3000, period: { start: FEB_1, end: MAR_1 } }]);
  });

  it("a proration_date outside the current period is refused as subscriptions.update refuses it", async () => {
    const { customer, subscription, itemId } = await proSubscription(JAN_11);
    const error = await expectStripeError(
      stripe.invoices.createPreview({
        customer: customer.id,
        subscription: subscription.id,
        subscription_details: { items: [{ id: itemId, price: team.id }], proration_behavior: "always_invoice", proration_date: FEB_1 + DAY },
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: "subscription_details[proration_date]" });
  });

  it("a subscription set to cancel at the period end has no upcoming invoice: 404 invoice_upcoming_none", async () => {
    const { customer, subscription } = await proSubscription(JAN_11);
    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const error = await expectStripeError(stripe.invoices.createPreview({ customer: customer.id, subscription: subscription.id }));
    expect(error).toMatchObject({ statusCode: 404, code: "invoice_upcoming_none" });
  });
});
