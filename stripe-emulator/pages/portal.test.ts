// The hosted billing portal through the real SDK and its HTML forms: switching plan with the configuration's
// proration behaviour, cancel at period end / resume, updating the card (which pays a past_due invoice at once),
// the invoice history, and the billing portal configurations API.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { postForm, startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;
let pro: Stripe.Price;
let team: Stripe.Price;

const DAY = 24 * 3600;
const AUG_1 = Date.UTC(2027, 7, 1) / 1000;
const AUG_17 = AUG_1 + 16 * DAY; // 15 of 31 days left
const SEP_1 = Date.UTC(2027, 8, 1) / 1000;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator({ brand: "Billfold" }));
  pro = await stripe.prices.create({ product_data: { name: "Pro" }, unit_amount: 1500, currency: "eur", recurring: { interval: "month" } }); // €15.00
  team = await stripe.prices.create({ product_data: { name: "Team" }, unit_amount: 4500, currency: "eur", recurring: { interval: "month" } }); // €45.00
});
afterAll(async () => {
  await emulator.close();
});

/** A Pro subscriber (via Checkout, 4242) on a test clock at `at`, and a portal session for them. */
async function subscriberWithPortal(at = AUG_1, configuration?: string) {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: AUG_1 });
  const customer = await stripe.customers.create({ email: "portal@example.com", test_clock: clock.id });
  const session = await stripe.checkout.sessions.create({ mode: "subscription", customer: customer.id, line_items: [{ price: pro.id, quantity: 1 }], success_url: "http://app.local/ok" });
  expect((await postForm(`${session.url}/pay`, { card_number: "4242 4242 4242 4242" })).status).toBe(303);
  const subscriptionId = String((await stripe.checkout.sessions.retrieve(session.id)).subscription);
  if (at > AUG_1) await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: at });
  const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "http://app.local/billing", ...(configuration ? { configuration } : {}) });
  return { clock, customer, subscriptionId, portal };
}

async function lastUpdate(subscriptionId: string): Promise<Stripe.CustomerSubscriptionUpdatedEvent | undefined> {
  const events = await stripe.events.list({ type: "customer.subscription.updated", limit: 100 });
  return events.data.find((event): event is Stripe.CustomerSubscriptionUpdatedEvent => event.type === "customer.subscription.updated" && event.data.object.id === subscriptionId);
}

async function portalAction(portal: Stripe.BillingPortal.Session, path: string, form: Record<string, string>): Promise<string> {
  const response = await postForm(`${portal.url}/${path}`, form);
  expect(response.status).toBe(200);
  return response.text();
}

describe("billing portal", () => {
  it("uses the default configuration: everything on, proration_behavior none (Stripe's documented default)", async () => {
    const defaults = await stripe.billingPortal.configurations.list({ is_default: true });
    expect(defaults.data).toHaveLength(1);
    const configuration = defaults.data[0];
    expect(configuration?.features.subscription_update).toMatchObject({ enabled: true, proration_behavior: "none", default_allowed_updates: ["price"] });
    expect(configuration?.features.subscription_cancel).toMatchObject({ enabled: true, mode: "at_period_end" });
    expect(configuration?.features.invoice_history.enabled).toBe(true);
    expect(configuration?.features.payment_method_update.enabled).toBe(true);
    const { portal } = await subscriberWithPortal();
    expect(portal.configuration).toBe(configuration?.id);
  });

  it("shows the subscription with its buttons, the card and the invoice history", async () => {
    const { portal, customer } = await subscriberWithPortal();
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain("Switch to Team (€45.00 / month)</button>");
    expect(html).toContain("Cancel at period end</button>");
    expect(html).toContain("Update card</button>");
    expect(html).toContain('<label for="card-number">Card number</label>');
    expect(html).toContain("visa •••• 4242");
    expect(html).toContain(">Invoice history</h2>");
    const [invoice] = (await stripe.invoices.list({ customer: customer.id })).data;
    expect(html).toContain(`<a href="${invoice?.hosted_invoice_url}">${invoice?.number}</a>`);
    expect(html).toContain("Return to Billfold");
  });

  it("cancels at period end (cancel_at = period end) and resumes, each with previous_attributes", async () => {
    const { portal, subscriptionId } = await subscriberWithPortal(AUG_17);
    const page = await portalAction(portal, `subscriptions/${subscriptionId}/cancel`, { when: "period_end" });
    expect(page).toContain("Cancels on 01 Sep 2027.");
    expect(page).toContain("Resume subscription</button>");
    const canceling = await stripe.subscriptions.retrieve(subscriptionId);
    expect(canceling).toMatchObject({ cancel_at_period_end: true, cancel_at: SEP_1, canceled_at: AUG_17, status: "active" });
    expect(canceling.cancellation_details?.reason).toBe("cancellation_requested");
    expect((await lastUpdate(subscriptionId))?.data.previous_attributes).toEqual({
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    });

    await portalAction(portal, `subscriptions/${subscriptionId}/resume`, {});
    const resumed = await stripe.subscriptions.retrieve(subscriptionId);
    expect(resumed).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    expect((await lastUpdate(subscriptionId))?.data.previous_attributes).toMatchObject({ cancel_at_period_end: true, cancel_at: SEP_1 });
  });

  it("switches plan with no prorations under the default configuration", async () => {
    const { portal, subscriptionId, customer } = await subscriberWithPortal(AUG_17);
    expect(await portalAction(portal, `subscriptions/${subscriptionId}/switch`, { price: team.id })).toContain("Your plan has been updated.");
    const switched = await stripe.subscriptions.retrieve(subscriptionId);
    expect(switched.items.data[0]?.price.id).toBe(team.id);
    expect((await lastUpdate(subscriptionId))?.data.previous_attributes).toMatchObject({ items: { data: [{ price: { id: pro.id } }] } });
    expect((await stripe.invoiceItems.list({ customer: customer.id })).data).toHaveLength(0);
  });

  it("switches plan with the session's configuration: always_invoice bills the prorations at once", async () => {
    const configuration = await stripe.billingPortal.configurations.create({
      features: { subscription_update: { enabled: true, default_allowed_updates: ["price"], proration_behavior: "always_invoice", products: [{ product: String(team.product), prices: [team.id] }] } },
    });
    expect(configuration.is_default).toBe(false);
    const { portal, subscriptionId } = await subscriberWithPortal(AUG_17, configuration.id);
    const html = await (await fetch(portal.url)).text();
    expect(html).not.toContain("Cancel at period end"); // cancellation is off in this configuration
    expect(html).not.toContain("Invoice history");
    await portalAction(portal, `subscriptions/${subscriptionId}/switch`, { price: team.id });
    const switched = await stripe.subscriptions.retrieve(subscriptionId);
    const invoice = await stripe.invoices.retrieve(String(switched.latest_invoice));
    expect(invoice.billing_reason).toBe("subscription_update");
    expect(invoice.lines.data.map((line) => [line.amount, line.description])).toEqual([
      [-Math.round((1500 * 15) / 31), "Unused time on Pro after 17 Aug 2027"], // -€7.26
      [Math.round((4500 * 15) / 31), "Remaining time on Team after 17 Aug 2027"], // €21.77
    ]);
    expect(invoice.status).toBe("paid");
    const other = await postForm(`${portal.url}/subscriptions/${subscriptionId}/switch`, { price: pro.id });
    expect(other.status).toBe(400); // Pro is not among this configuration's products
  });

  it("follows an update of the default configuration (create_prorations)", async () => {
    const [defaults] = (await stripe.billingPortal.configurations.list({ is_default: true })).data;
    if (!defaults) throw new Error("no default configuration");
    const updated = await stripe.billingPortal.configurations.update(defaults.id, { features: { subscription_update: { proration_behavior: "create_prorations" } } });
    expect(updated.features.subscription_update.proration_behavior).toBe("create_prorations");
    try {
      const { portal, subscriptionId, customer } = await subscriberWithPortal(AUG_17);
      await portalAction(portal, `subscriptions/${subscriptionId}/switch`, { price: team.id });
      const pending = await stripe.invoiceItems.list({ customer: customer.id });
      expect(pending.data.map((item) => item.proration)).toEqual([true, true]);
    } finally {
      await stripe.billingPortal.configurations.update(defaults.id, { features: { subscription_update: { proration_behavior: "none" } } });
    }
  });

  it("updates the card: 0341 is saved as the default and the renewal fails; 4242 then pays the open invoice at once", async () => {
    const { clock, portal, subscriptionId, customer } = await subscriberWithPortal();
    expect(await portalAction(portal, "payment_method", { card_number: "4000 0000 0000 0341" })).toContain("Your card has been updated.");
    const withFailing = await stripe.customers.retrieve(customer.id);
    const failingId = !withFailing.deleted ? withFailing.invoice_settings.default_payment_method : null;
    expect((await stripe.paymentMethods.retrieve(String(failingId))).card?.last4).toBe("0341");
    expect((await stripe.subscriptions.retrieve(subscriptionId)).default_payment_method).toBe(failingId);

    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: SEP_1 + 60 });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("past_due");
    const pastDuePage = await (await fetch(portal.url)).text();
    expect(pastDuePage).toContain("Your last payment failed.");

    expect(await portalAction(portal, "payment_method", { card_number: "4000 0000 0000 0002" })).toContain("Your card was declined.");
    expect(await portalAction(portal, "payment_method", { card_number: "4242 4242 4242 4242" })).toContain("Your card has been updated.");
    const invoice = (await stripe.invoices.list({ subscription: subscriptionId, limit: 1 })).data[0];
    expect(invoice?.status).toBe("paid");
    expect(invoice?.next_payment_attempt).toBeNull();
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("active");
    expect((await lastUpdate(subscriptionId))?.data.previous_attributes).toEqual({ status: "past_due" });
  });

  it("retrieves, updates and lists configurations", async () => {
    const created = await stripe.billingPortal.configurations.create({
      business_profile: { headline: "Billfold billing" },
      features: { invoice_history: { enabled: true }, subscription_cancel: { enabled: true, mode: "immediately", proration_behavior: "create_prorations" } },
      metadata: { app: "billfold" },
    });
    expect(created.features.subscription_update.proration_behavior).toBe("none");
    expect(created.features.subscription_cancel).toMatchObject({ enabled: true, mode: "immediately", proration_behavior: "create_prorations" });
    expect((await stripe.billingPortal.configurations.retrieve(created.id)).business_profile.headline).toBe("Billfold billing");
    const deactivated = await stripe.billingPortal.configurations.update(created.id, { active: false });
    expect(deactivated.active).toBe(false);
    const inactive = await stripe.billingPortal.configurations.list({ active: false });
    expect(inactive.data.map((configuration) => configuration.id)).toContain(created.id);
    const customer = await stripe.customers.create({ email: "inactive@example.com" });
    await expect(stripe.billingPortal.sessions.create({ customer: customer.id, configuration: created.id })).rejects.toMatchObject({ statusCode: 400 });
  });
});
