// Plan changes with prorations (`proration_behavior`, `proration_date`), through the real SDK on test clocks so
// that every amount is exact: Pro $10.00 → Team $30.00 on 11 Jan 2027 in a 1 Jan–1 Feb period leaves 21 of 31 days.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { prorate } from "./proration";
import { startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;
let pro: Stripe.Price;
let team: Stripe.Price;
let proYearly: Stripe.Price;

const DAY = 24 * 3600;
const JAN_1 = Date.UTC(2027, 0, 1) / 1000;
const JAN_11 = JAN_1 + 10 * DAY;
const FEB_1 = Date.UTC(2027, 1, 1) / 1000;
const PERIOD = FEB_1 - JAN_1; // 31 days
const CREDIT_PRO_21_DAYS = -677; // -$10.00 × 21/31 = -6.774… → -$6.77
const CHARGE_TEAM_21_DAYS = 2032; // $30.00 × 21/31 = 20.322… → $20.32

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
  const proProduct = await stripe.products.create({ name: "Pro" });
  const teamProduct = await stripe.products.create({ name: "Team" });
  pro = await stripe.prices.create({ product: proProduct.id, unit_amount: 1000, currency: "usd", recurring: { interval: "month" } }); // $10.00
  team = await stripe.prices.create({ product: teamProduct.id, unit_amount: 3000, currency: "usd", recurring: { interval: "month" } }); // $30.00
  proYearly = await stripe.prices.create({ product: proProduct.id, unit_amount: 10000, currency: "usd", recurring: { interval: "year" } }); // $100.00
});
afterAll(async () => {
  await emulator.close();
});

/** A Pro subscription started on 1 Jan 2027 on its own test clock, advanced to `at`. */
async function proSubscription(at: number, card = "pm_card_visa") {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
  const customer = await stripe.customers.create({ test_clock: clock.id, payment_method: card, invoice_settings: { default_payment_method: card } });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
  expect(subscription.status).toBe("active");
  if (at > JAN_1) await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: at });
  return { clock, customer, subscription, itemId: subscription.items.data[0]?.id ?? "" };
}

function lineProration(line: Stripe.InvoiceLineItem): boolean | undefined {
  return line.parent?.subscription_item_details?.proration;
}

function linePrice(line: Stripe.InvoiceLineItem): string | undefined {
  const price = line.pricing?.price_details?.price;
  return typeof price === "string" ? price : price?.id;
}

async function updatedEvents(subscriptionId: string): Promise<Stripe.CustomerSubscriptionUpdatedEvent[]> {
  const events = await stripe.events.list({ type: "customer.subscription.updated", limit: 100 });
  return events.data.filter((event): event is Stripe.CustomerSubscriptionUpdatedEvent => event.type === "customer.subscription.updated" && event.data.object.id === subscriptionId);
}

describe("prorate", () => {
  it("rounds each amount to the nearest minor unit, halves away from zero", () => {
    expect(prorate(1000, 21 * DAY, PERIOD)).toBe(677);
    expect(prorate(-1000, 21 * DAY, PERIOD)).toBe(-677);
    expect(prorate(3, 1, 2)).toBe(2); // 1.5 → 2
    expect(prorate(-3, 1, 2)).toBe(-2);
    expect(prorate(1000, 0, PERIOD)).toBe(0);
  });
});

describe("proration_behavior on a plan change", () => {
  it("create_prorations (the default) leaves an unused-time credit and a remaining-time charge for the next renewal", async () => {
    const { clock, customer, subscription, itemId } = await proSubscription(JAN_11);
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: team.id }] });
    expect(updated.items.data[0]?.price.id).toBe(team.id);
    expect(updated.latest_invoice).toBe(subscription.latest_invoice); // nothing invoiced now

    const pending = await stripe.invoiceItems.list({ customer: customer.id });
    const byAmount = [...pending.data].sort((a, b) => a.amount - b.amount);
    expect(byAmount.map((item) => item.amount)).toEqual([CREDIT_PRO_21_DAYS, CHARGE_TEAM_21_DAYS]);
    expect(byAmount.map((item) => item.description)).toEqual(["Unused time on Pro after 11 Jan 2027", "Remaining time on Team after 11 Jan 2027"]);
    expect(byAmount.every((item) => item.proration && item.invoice === null && !item.discountable)).toBe(true);
    expect(byAmount.map((item) => item.period)).toEqual([{ start: JAN_11, end: FEB_1 }, { start: JAN_11, end: FEB_1 }]);
    expect(byAmount[0]?.parent?.subscription_details).toEqual({ subscription: subscription.id, subscription_item: itemId });
    expect(byAmount[0]?.proration_details?.credited_items?.invoice_line_item_details?.invoice).toBe(subscription.latest_invoice);

    const [change] = await updatedEvents(subscription.id);
    expect(change?.data.object.items.data[0]?.price.id).toBe(team.id);
    expect(change?.data.previous_attributes).toMatchObject({ items: { data: [{ id: itemId, price: { id: pro.id }, plan: { id: pro.id } }] } });
    const created = await stripe.events.list({ type: "invoiceitem.created", limit: 100 });
    expect(created.data.filter((event) => event.type === "invoiceitem.created" && event.data.object.customer === customer.id)).toHaveLength(2);

    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_1 + 60 });
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0];
    expect(renewal?.billing_reason).toBe("subscription_cycle");
    expect(renewal?.status).toBe("paid");
    expect(renewal?.lines.data.map((line) => [line.amount, lineProration(line), linePrice(line)])).toEqual([
      [CREDIT_PRO_21_DAYS, true, pro.id],
      [CHARGE_TEAM_21_DAYS, true, team.id],
      [3000, false, team.id], // February on Team
    ]);
    expect(renewal?.total).toBe(CREDIT_PRO_21_DAYS + CHARGE_TEAM_21_DAYS + 3000); // $43.55
    expect(renewal?.amount_paid).toBe(4355);
    expect((await stripe.invoiceItems.list({ customer: customer.id })).data.every((item) => item.invoice === renewal?.id)).toBe(true);
  });

  it("always_invoice bills the prorations now (billing_reason subscription_update) and collects them", async () => {
    const { clock, customer, subscription, itemId } = await proSubscription(JAN_11);
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: team.id }], proration_behavior: "always_invoice" });
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice), { expand: ["payments"] });
    expect(invoice.id).not.toBe(subscription.latest_invoice);
    expect(invoice.billing_reason).toBe("subscription_update");
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(invoice.lines.data.map((line) => [line.amount, line.description, lineProration(line)])).toEqual([
      [CREDIT_PRO_21_DAYS, "Unused time on Pro after 11 Jan 2027", true],
      [CHARGE_TEAM_21_DAYS, "Remaining time on Team after 11 Jan 2027", true],
    ]);
    expect(invoice.total).toBe(1355); // $13.55
    expect(invoice.status).toBe("paid");
    expect(invoice.amount_paid).toBe(1355);
    expect(invoice.payments?.data).toHaveLength(1);
    expect(invoice.hosted_invoice_url).toBe(`${emulator.url}/invoices/${invoice.id}`);

    const events = await stripe.events.list({ limit: 100 });
    const forInvoice = events.data
      .filter((event) => (event.type.startsWith("invoice.") && "id" in event.data.object && event.data.object.id === invoice.id))
      .map((event) => event.type)
      .reverse();
    expect(forInvoice).toEqual(["invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded"]);
    const charge = events.data.find((event) => event.type === "charge.succeeded" && event.data.object.customer === customer.id && event.data.object.amount === 1355);
    expect(charge).toBeDefined();

    expect((await stripe.invoiceItems.list({ customer: customer.id })).data.every((item) => item.invoice === invoice.id)).toBe(true);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_1 + 60 });
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0];
    expect(renewal?.lines.data.map((line) => line.amount)).toEqual([3000]);
  });

  it("always_invoice on a downgrade credits the customer's balance, which the next renewal uses", async () => {
    const { clock, customer, subscription, itemId } = await proSubscription(JAN_1);
    await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: team.id }], proration_behavior: "none" });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_1 + 10 * DAY }); // Feb on Team, paid $30.00
    const febPeriod = Date.UTC(2027, 2, 1) / 1000 - FEB_1; // 28 days
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: pro.id }], proration_behavior: "always_invoice" });
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    const remaining = FEB_1 + febPeriod - (FEB_1 + 10 * DAY); // 18 of 28 days
    const credit = -Math.round((3000 * remaining) / febPeriod); // -$19.29
    const charge = Math.round((1000 * remaining) / febPeriod); // $6.43
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([credit, charge]);
    expect(invoice.total).toBe(credit + charge); // -$12.86
    expect(invoice.amount_due).toBe(0);
    expect(invoice.status).toBe("paid");
    expect(invoice.ending_balance).toBe(credit + charge);
    const after = await stripe.customers.retrieve(customer.id);
    expect(!after.deleted && after.balance).toBe(credit + charge);

    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_1 + febPeriod + 60 });
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0];
    expect(renewal?.total).toBe(1000);
    expect(renewal?.starting_balance).toBe(credit + charge);
    expect(renewal?.amount_due).toBe(0); // $10.00 - $12.86 credit → nothing due, $2.86 credit left
    expect(renewal?.status).toBe("paid");
    const final = await stripe.customers.retrieve(customer.id);
    expect(!final.deleted && final.balance).toBe(1000 + credit + charge); // -$2.86
  });

  it("none changes the price with no proration lines; the next renewal bills the new price", async () => {
    const { clock, customer, subscription, itemId } = await proSubscription(JAN_11);
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: team.id }], proration_behavior: "none" });
    expect(updated.items.data[0]?.price.id).toBe(team.id);
    expect((await stripe.invoiceItems.list({ customer: customer.id })).data).toHaveLength(0);
    expect((await updatedEvents(subscription.id))[0]?.data.previous_attributes).toMatchObject({ items: { data: [{ price: { id: pro.id } }] } });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_1 + 60 });
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0];
    expect(renewal?.lines.data.map((line) => [line.amount, linePrice(line)])).toEqual([[3000, team.id]]);
  });

  it("proration_date sets the instant the prorations are computed for", async () => {
    const { customer, subscription, itemId } = await proSubscription(JAN_11);
    const jan16 = JAN_1 + 15 * DAY; // 16 of 31 days left
    await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: team.id }], proration_date: jan16 });
    const pending = (await stripe.invoiceItems.list({ customer: customer.id })).data.sort((a, b) => a.amount - b.amount);
    expect(pending.map((item) => item.amount)).toEqual([-Math.round((1000 * 16) / 31), Math.round((3000 * 16) / 31)]); // -$5.16, $15.48
    expect(pending[0]?.description).toBe("Unused time on Pro after 16 Jan 2027");
    const outside = stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: pro.id }], proration_date: FEB_1 + DAY });
    await expect(outside).rejects.toMatchObject({ statusCode: 400, param: "proration_date" });
  });

  it("a quantity change prorates the difference, with the quantity in the descriptions", async () => {
    const { customer, subscription, itemId } = await proSubscription(JAN_11);
    await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, quantity: 3 }] });
    const pending = (await stripe.invoiceItems.list({ customer: customer.id })).data.sort((a, b) => a.amount - b.amount);
    expect(pending.map((item) => [item.amount, item.quantity, item.description])).toEqual([
      [CREDIT_PRO_21_DAYS, 1, "Unused time on Pro after 11 Jan 2027"],
      [Math.round((3000 * 21) / 31), 3, "Remaining time on 3 × Pro after 11 Jan 2027"],
    ]);
  });

  it("a new billing interval restarts the period now and invoices the credit and the new period at once", async () => {
    const { subscription, itemId } = await proSubscription(JAN_11);
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: proYearly.id }] });
    expect(updated.items.data[0]?.current_period_start).toBe(JAN_11);
    expect(updated.items.data[0]?.current_period_end).toBe(JAN_11 + 365 * DAY);
    expect(updated.billing_cycle_anchor).toBe(JAN_11);
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.billing_reason).toBe("subscription_update");
    expect(invoice.lines.data.map((line) => [line.amount, lineProration(line)])).toEqual([
      [CREDIT_PRO_21_DAYS, true],
      [10000, false],
    ]);
    expect(invoice.amount_paid).toBe(10000 + CREDIT_PRO_21_DAYS);
  });

  it("a failed always_invoice payment leaves the invoice open on the retry schedule and the subscription past_due", async () => {
    const { subscription, itemId } = await proSubscription(JAN_11);
    await stripe.subscriptions.update(subscription.id, { default_payment_method: "pm_card_chargeCustomerFail" });
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: team.id }], proration_behavior: "always_invoice" });
    expect(updated.status).toBe("past_due");
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.status).toBe("open");
    expect(invoice.attempt_count).toBe(1);
    expect(invoice.next_payment_attempt).toBe(JAN_11 + 3 * DAY);
  });
});
