// Test fixtures for plans and subscriptions: an emulator with Billfold's plan prices, users with
// real (emulated) subscriptions, and delivery of the emulator's own events through the inbox.
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import { startEmulator, stripeApiEnv, type RunningEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { db } from "@/lib/core/db";
import { seedDatabase } from "@/lib/tooling/seed";

export interface BillingEmulator {
  emulator: RunningEmulator;
  stripe: Stripe;
}

/**
 * Starts an emulator, points lib/stripe at it (set before lib/stripe is first imported), seeds the
 * plans and creates their prices as `npm run stripe:setup` does.
 */
export async function startBillingEmulator(): Promise<BillingEmulator> {
  const emulator = await startEmulator({ port: 0 });
  Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_billfold_billing", ...stripeApiEnv(emulator) });
  const stripe = emulatorStripe(emulator, "sk_test_billfold_billing", { maxNetworkRetries: 0 });
  await seedDatabase(db(), { force: true }); // the suite's throwaway database, which holds other tests' users
  const { setUpPlanPrices } = await import("@/lib/tooling/plan-prices");
  await setUpPlanPrices(db(), stripe);
  return { emulator, stripe };
}

/** Starts a billing emulator before the file's tests and closes it after; read its fields inside tests. */
export function billingEmulatorForFile(): BillingEmulator {
  let running: BillingEmulator | undefined;
  beforeAll(async () => {
    running = await startBillingEmulator();
  });
  afterAll(() => running?.emulator.close());
  const current = () => {
    if (!running) throw new Error("the billing emulator starts in beforeAll; use it inside a test");
    return running;
  };
  return {
    get emulator() {
      return current().emulator;
    },
    get stripe() {
      return current().stripe;
    },
  };
}

/** Makes 4000 0000 0000 0341 (attaches, then every charge fails) the card a subscription renews with. */
export async function switchToFailingCard(stripe: Stripe, customerId: string, subscriptionId: string): Promise<void> {
  const failing = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customerId });
  await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: failing.id } });
  // Checkout sets the subscription's own default card, which Stripe charges before the customer's.
  await stripe.subscriptions.update(subscriptionId, { default_payment_method: failing.id });
}

export async function priceIdFor(stripe: Stripe, lookupKey: string): Promise<string> {
  const [price] = (await stripe.prices.list({ lookup_keys: [lookupKey], limit: 1 })).data;
  if (!price) throw new Error(`no price with lookup key ${lookupKey}`);
  return price.id;
}

/** A Billfold user whose Stripe customer is linked (as ensureStripeCustomer leaves it), optionally on a test clock. */
export async function linkedUser(stripe: Stripe, options: { testClock?: string; link?: boolean } = {}) {
  const email = `billing-${randomUUID()}@example.test`;
  const user = await db().user.create({ data: { email, emailVerified: new Date() } });
  const customer = await stripe.customers.create({
    email,
    metadata: { billfoldUserId: user.id },
    ...(options.testClock ? { test_clock: options.testClock } : {}),
  });
  if (options.link !== false) await db().user.update({ where: { id: user.id }, data: { stripeCustomerId: customer.id } });
  return { userId: user.id, customerId: customer.id };
}

/** A subscription as Billfold's Checkout makes one: our user id in its metadata, paid with `paymentMethod`. */
export async function subscribe(stripe: Stripe, customerId: string, userId: string, lookupKey: string, paymentMethod = "pm_card_visa") {
  const attached = await stripe.paymentMethods.attach(paymentMethod, { customer: customerId });
  await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: attached.id } });
  return stripe.subscriptions.create({
    customer: customerId,
    items: [{ price: await priceIdFor(stripe, lookupKey) }],
    metadata: { billfoldUserId: userId, purpose: "subscription" },
  });
}

/** The emulator's events about one object (a subscription or invoice id), oldest first. */
export async function eventsAbout(stripe: Stripe, objectIds: string[], types?: string[]): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) {
    const object = event.data.object;
    const id = "id" in object ? object.id : undefined;
    const related = [id, "subscription" in object ? object.subscription : undefined, "customer" in object ? object.customer : undefined];
    if (!related.some((value) => typeof value === "string" && objectIds.includes(value))) continue;
    if (types && !types.includes(event.type)) continue;
    events.push(event);
  }
  // Stripe lists newest first, and several events share a second: the list order is the true order.
  return events.reverse();
}

/** A copy of an event with a new id: another delivery of the same news, as a new event would be. */
export function withNewId(event: Stripe.Event): Stripe.Event {
  return { ...event, id: `evt_test_${randomUUID().replaceAll("-", "").slice(0, 24)}` };
}

/** Stores and processes an event as the webhook route does (running a deferred one at once). */
export async function deliverEvent(event: Stripe.Event): Promise<string> {
  const { acceptEvent } = await import("@/lib/stripe-events");
  const accepted = await acceptEvent(event);
  if (accepted.outcome === "deferred") return accepted.process();
  return accepted.outcome;
}

/** Pays a Checkout Session on the emulator's hosted page, as a browser posting its form would. */
export async function payCheckout(emulator: RunningEmulator, sessionId: string, cardNumber = "4242424242424242"): Promise<Response> {
  return fetch(`${emulator.url}/checkout/${encodeURIComponent(sessionId)}/pay`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ card_number: cardNumber, email: "payer@example.test" }).toString(),
    redirect: "manual",
  });
}
