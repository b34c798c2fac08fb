import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { deliverEvent, eventsAbout, linkedUser, priceIdFor, subscribe, withNewId, billingEmulatorForFile } from "@/test/billing";

// Subscription events against the emulator: Billfold's mirror must equal Stripe's latest object
// whatever order, and however often, the events arrive.

const billing = billingEmulatorForFile();

const { syncSubscription, takeSyncTicket, isMetadataOnlyUpdate } = await import("./subscriptions");
const { getEffectivePlan } = await import("./queries");

/** What the mirror should hold for a Stripe subscription. */
function expectedRow(subscription: Stripe.Subscription, planKey: string | null) {
  const seconds = (value: number | null) => (value === null ? null : new Date(value * 1000));
  return {
    id: subscription.id,
    status: subscription.status,
    planKey,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: seconds(subscription.cancel_at),
    canceledAt: seconds(subscription.canceled_at),
    endedAt: seconds(subscription.ended_at),
    currentPeriodStart: seconds(Math.min(...subscription.items.data.map((item) => item.current_period_start))),
    currentPeriodEnd: seconds(Math.min(...subscription.items.data.map((item) => item.current_period_end))),
    stripePriceId: subscription.items.data[0]?.price.id ?? null,
  };
}

async function storedRow(id: string) {
  const row = await db().subscription.findUnique({ where: { id } });
  if (!row) return null;
  const { status, planKey, cancelAtPeriodEnd, cancelAt, canceledAt, endedAt, currentPeriodStart, currentPeriodEnd, stripePriceId } = row;
  return { id, status, planKey, cancelAtPeriodEnd, cancelAt, canceledAt, endedAt, currentPeriodStart, currentPeriodEnd, stripePriceId };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

describe("the subscription mirror", () => {
  it("ends in Stripe's final state for every order of created → updated (plan) → updated (cancel at period end) → deleted, with duplicates", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const created = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const item = created.items.data[0];
    if (!item) throw new Error("the subscription has no item");
    await billing.stripe.subscriptions.update(created.id, { items: [{ id: item.id, price: await priceIdFor(billing.stripe, "billfold_team_monthly") }], proration_behavior: "none" });
    await billing.stripe.subscriptions.update(created.id, { cancel_at_period_end: true });
    await billing.stripe.subscriptions.cancel(created.id);
    const final = await billing.stripe.subscriptions.retrieve(created.id);
    expect(final.status).toBe("canceled");

    const lifecycle = await eventsAbout(billing.stripe, [created.id], ["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"]);
    expect(lifecycle.map((event) => event.type)).toEqual([
      "customer.subscription.created",
      "customer.subscription.updated",
      "customer.subscription.updated",
      "customer.subscription.deleted",
    ]);

    const orders = permutations(lifecycle);
    expect(orders).toHaveLength(24);
    for (const [index, order] of orders.entries()) {
      await db().subscription.deleteMany({ where: { id: created.id } });
      // Each event delivered twice (Stripe's at-least-once), the duplicate right after the first or at the end.
      const deliveries = order.map(withNewId);
      const schedule = index % 2 === 0 ? deliveries.flatMap((event) => [event, event]) : [...deliveries, ...deliveries];
      for (const event of schedule) await deliverEvent(event);
      expect(await storedRow(created.id), `order ${order.map((event) => event.type).join(", ")}`).toEqual(expectedRow(final, "team"));
    }
    expect((await getEffectivePlan(userId)).plan.key).toBe("free");
  });

  it("applies a new subscription's events delivered all at once, each twice, without a failure", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_team_monthly");
    const events = await eventsAbout(billing.stripe, [subscription.id, customerId]);
    const outcomes = await Promise.all([...events, ...events.map(withNewId)].map((event) => deliverEvent(event)));
    expect(outcomes.filter((outcome) => outcome === "failed")).toEqual([]);
    expect(await storedRow(subscription.id)).toMatchObject({ status: "active", planKey: "team" });
    const grants = await db().ledgerEntry.findMany({ where: { type: "PLAN_GRANT", wallet: { userId } } });
    expect(grants.map((entry) => entry.amountMinor)).toEqual([4000]); // £40.00, once
  });

  it("never lets a fetch that started earlier overwrite one that started later", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const olderTicket = await takeSyncTicket(db());
    const stale = await billing.stripe.subscriptions.retrieve(subscription.id);
    await billing.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const newerTicket = await takeSyncTicket(db());
    const fresh = await billing.stripe.subscriptions.retrieve(subscription.id);

    await db().$transaction((tx) => syncSubscription(tx, fresh, { ticket: newerTicket }));
    const outcome = await db().$transaction((tx) => syncSubscription(tx, stale, { ticket: olderTicket }));
    expect(outcome.outcome).toBe("stale");
    expect((await storedRow(subscription.id))?.cancelAtPeriodEnd).toBe(true);
  });

  it("a deleted event for an old, replaced subscription leaves the current one alone", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const old = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    for (const event of await eventsAbout(billing.stripe, [old.id])) await deliverEvent(event);
    await billing.stripe.subscriptions.cancel(old.id);
    const current = await subscribe(billing.stripe, customerId, userId, "billfold_team_monthly");
    for (const event of await eventsAbout(billing.stripe, [current.id], ["customer.subscription.created"])) await deliverEvent(event);
    // The old subscription's deletion arrives last, after the new one is mirrored.
    const [deleted] = await eventsAbout(billing.stripe, [old.id], ["customer.subscription.deleted"]);
    if (!deleted) throw new Error("no deletion event");
    expect(await deliverEvent(deleted)).toBe("processed");

    expect((await storedRow(old.id))?.status).toBe("canceled");
    expect(await storedRow(current.id)).toMatchObject({ status: "active", planKey: "team", cancelAtPeriodEnd: false });
    expect((await getEffectivePlan(userId)).plan.key).toBe("team");
  });

  it("takes the plan from the prices' lookup keys on every item, not from the first item or a product name", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const attached = await billing.stripe.paymentMethods.attach("pm_card_visa", { customer: customerId });
    await billing.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: attached.id } });
    // An add-on first (a price with no plan), then Pro: the plan is on the second item.
    const addOn = await billing.stripe.prices.create({ currency: "gbp", unit_amount: 300, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    const subscription = await billing.stripe.subscriptions.create({
      customer: customerId,
      items: [{ price: addOn.id }, { price: await priceIdFor(billing.stripe, "billfold_pro_monthly") }],
      metadata: { billfoldUserId: userId },
    });
    const [createdEvent] = await eventsAbout(billing.stripe, [subscription.id], ["customer.subscription.created"]);
    if (!createdEvent) throw new Error("no created event");
    await deliverEvent(createdEvent);
    const row = await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(row.planKey).toBe("pro");
    expect(row.items).toHaveLength(2);
  });

  it("does not crash on an item whose price or product is missing or deleted: the plan is then unknown", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const [item] = subscription.items.data;
    if (!item) throw new Error("no item");
    const broken = [
      { ...subscription, items: { ...subscription.items, data: [{ ...item, price: { ...item.price, lookup_key: null, product: { id: "prod_gone", object: "product" as const, deleted: true as const } } }] } },
      // Not possible in Stripe's types, but seen after a price is deleted in the Dashboard.
      JSON.parse(JSON.stringify({ ...subscription, items: { ...subscription.items, data: [{ ...item, price: null }] } })) as Stripe.Subscription,
      { ...subscription, items: { ...subscription.items, data: [] } },
    ];
    for (const copy of broken) {
      const ticket = await takeSyncTicket(db());
      const outcome = await db().$transaction((tx) => syncSubscription(tx, copy, { ticket }));
      expect(outcome.outcome).toBe("synced");
      expect((await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).planKey).toBeNull();
    }
  });

  it("a metadata-only update does not rewrite the period or the plan", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    for (const event of await eventsAbout(billing.stripe, [subscription.id], ["customer.subscription.created"])) await deliverEvent(event);
    const before = await storedRow(subscription.id);
    const updated = await billing.stripe.subscriptions.update(subscription.id, { metadata: { note: "hello" } });
    const [metadataEvent] = await eventsAbout(billing.stripe, [subscription.id], ["customer.subscription.updated"]);
    if (!metadataEvent || metadataEvent.type !== "customer.subscription.updated") throw new Error("no update event");
    expect(isMetadataOnlyUpdate(metadataEvent.data.previous_attributes)).toBe(true);
    // The event's copy claims another period and price: a stale or hostile copy must change nothing.
    const [item] = updated.items.data;
    if (!item) throw new Error("no item");
    const tampered: Stripe.Event = {
      ...metadataEvent,
      data: {
        ...metadataEvent.data,
        object: { ...updated, status: "past_due", items: { ...updated.items, data: [{ ...item, current_period_end: item.current_period_end + 86_400 * 40 }] } },
      },
    };
    expect(await deliverEvent(tampered)).toBe("processed");
    expect(await storedRow(subscription.id)).toEqual(before);
    expect(isMetadataOnlyUpdate({ metadata: {}, cancel_at_period_end: false })).toBe(false);
    expect(isMetadataOnlyUpdate({})).toBe(false);
  });

  it("waits (unmatched) for a customer Billfold does not know yet, and applies once Checkout links it", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe, { link: false });
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const events = await eventsAbout(billing.stripe, [subscription.id, customerId], ["customer.subscription.created", "invoice.paid"]);
    expect(events.map((event) => event.type)).toEqual(["customer.subscription.created", "invoice.paid"]);
    for (const event of events) expect(await deliverEvent(event)).toBe("unmatched");
    const stored = await db().webhookEvent.findMany({ where: { stripeEventId: { in: events.map((event) => event.id) } } });
    expect(stored.map((row) => row.status)).toEqual(stored.map(() => "unmatched"));
    expect(stored.every((row) => row.awaitingReferences.includes(customerId) && row.nextAttemptAt !== null)).toBe(true);
    expect(await db().subscription.count({ where: { id: subscription.id } })).toBe(0);

    // The browser never came back from Checkout; the webhook for the session links the customer.
    const session = {
      id: `cs_test_link_${subscription.id}`,
      object: "checkout.session",
      mode: "subscription",
      status: "complete",
      payment_status: "paid",
      client_reference_id: userId,
      customer: customerId,
      subscription: subscription.id,
      metadata: { billfoldUserId: userId, purpose: "subscription", planKey: "pro" },
    };
    const completed = JSON.parse(JSON.stringify({ ...withNewId(events[0] as Stripe.Event), type: "checkout.session.completed", data: { object: session } })) as Stripe.Event;
    expect(await deliverEvent(completed)).toBe("processed");
    expect((await db().user.findUniqueOrThrow({ where: { id: userId } })).stripeCustomerId).toBe(customerId);
    expect(await storedRow(subscription.id)).toMatchObject({ status: "active", planKey: "pro" });
    // The woken events ran right after the commit that linked the customer.
    const after = await db().webhookEvent.findMany({ where: { stripeEventId: { in: events.map((event) => event.id) } } });
    expect(after.map((row) => row.status)).toEqual(after.map(() => "processed"));
    expect(await db().ledgerEntry.count({ where: { type: "PLAN_GRANT", wallet: { userId } } })).toBe(1);
  });

  it("ignores, on purpose, a subscription nobody in Billfold started (a CLI fixture, another app)", async () => {
    const customer = await billing.stripe.customers.create({ email: "someone-else@example.test" });
    const attached = await billing.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    await billing.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: attached.id } });
    const subscription = await billing.stripe.subscriptions.create({ customer: customer.id, items: [{ price: await priceIdFor(billing.stripe, "billfold_pro_monthly") }] });
    for (const event of await eventsAbout(billing.stripe, [subscription.id])) expect(await deliverEvent(event)).toMatch(/^(processed|ignored)$/);
    expect(await db().subscription.count({ where: { id: subscription.id } })).toBe(0);
  });
});
