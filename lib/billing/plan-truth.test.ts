import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { billingEmulatorForFile, deliverEvent, eventsAbout, linkedUser, priceIdFor, subscribe, withNewId } from "@/test/billing";

// What Billfold tells a person about their plan (issue 23): the "plan ended" email only when the
// plan they have actually drops, a subscription on a price Billfold does not know shown as such,
// and events about subscriptions Stripe does not know, or with malformed items, never stored as truth.

const billing = billingEmulatorForFile();

const { getBillingOverview, getEffectivePlan } = await import("./queries");
const { syncSubscription, takeSyncTicket } = await import("./subscriptions");

/** Delivers every event about these objects not delivered before. */
async function deliverNew(objectIds: string[], seen: Set<string>, types?: string[]): Promise<void> {
  for (const event of await eventsAbout(billing.stripe, objectIds, types)) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    await deliverEvent(event);
  }
}

function planEndedEmails(userId: string) {
  return db().emailOutbox.findMany({ where: { userId, kind: "subscription_canceled" }, orderBy: { createdAt: "asc" } });
}

/** A copy of a subscription event about a subscription id Stripe has never seen. */
function aboutUnknownSubscription(event: Stripe.Event, type: Stripe.Event.Type, changes: Record<string, unknown>): Stripe.Event {
  const unknownId = `sub_test_unknown_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  return JSON.parse(JSON.stringify({ ...withNewId(event), type, data: { object: { ...event.data.object, id: unknownId, ...changes } } })) as Stripe.Event;
}

/**
 * A person subscribed to a plan (every event about it delivered), and the subscription's own
 * `customer.subscription.created` event with its first item: the model for a forged or malformed copy.
 */
async function subscribedWithCreatedEvent(lookupKey: string) {
  const { userId, customerId } = await linkedUser(billing.stripe);
  const subscription = await subscribe(billing.stripe, customerId, userId, lookupKey);
  await deliverNew([subscription.id], new Set<string>());
  const [created] = await eventsAbout(billing.stripe, [subscription.id], ["customer.subscription.created"]);
  if (!created || created.type !== "customer.subscription.created") throw new Error("no created event");
  const [item] = created.data.object.items.data;
  if (!item) throw new Error("no item");
  return { userId, subscription, created, item };
}

describe("the plan ended email", () => {
  it("deleting an extra subscription (an old Pro, canceled at Stripe while Team gives the plan) sends nothing and leaves Team", async () => {
    const seen = new Set<string>();
    const { userId, customerId } = await linkedUser(billing.stripe);
    const pro = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const team = await subscribe(billing.stripe, customerId, userId, "billfold_team_monthly");
    await deliverNew([pro.id, team.id], seen);
    expect((await getEffectivePlan(userId)).plan.key).toBe("team");

    await billing.stripe.subscriptions.cancel(pro.id);
    await deliverNew([pro.id], seen);
    expect((await db().subscription.findUniqueOrThrow({ where: { id: pro.id } })).status).toBe("canceled");
    expect((await planEndedEmails(userId)).map((row) => row.payload)).toEqual([]);
    expect((await getEffectivePlan(userId)).plan.key).toBe("team");
  });

  it("a deletion event for a subscription id Stripe does not know stores nothing, sends nothing and is ignored with its reason", async () => {
    const { userId, subscription: team, created } = await subscribedWithCreatedEvent("billfold_team_monthly");
    const deleted = aboutUnknownSubscription(created, "customer.subscription.deleted", {
      status: "canceled",
      canceled_at: Math.floor(Date.now() / 1000) - 30 * 86_400,
      ended_at: Math.floor(Date.now() / 1000) - 30 * 86_400,
    });

    expect(await deliverEvent(deleted)).toBe("ignored");
    const stored = await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: deleted.id } });
    expect(stored.lastError).toMatch(/Stripe has no subscription sub_test_unknown_/);
    expect(await db().subscription.count({ where: { userId, id: { not: team.id } } })).toBe(0);
    expect(await planEndedEmails(userId)).toEqual([]);
    expect((await getEffectivePlan(userId)).plan.key).toBe("team");
  });

  it("deleting the subscription that gives the plan sends one email naming the plan now in force", async () => {
    const seen = new Set<string>();
    const { userId, customerId } = await linkedUser(billing.stripe);
    const pro = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const team = await subscribe(billing.stripe, customerId, userId, "billfold_team_monthly");
    await deliverNew([pro.id, team.id], seen);

    await billing.stripe.subscriptions.cancel(team.id);
    await deliverNew([team.id], seen);
    const afterTeam = await planEndedEmails(userId);
    expect(afterTeam.map((row) => row.payload)).toEqual([{ planKey: "team", nowPlanKey: "pro", endsAt: expect.any(String), immediate: true }]);
    expect((await getEffectivePlan(userId)).plan.key).toBe("pro");

    await billing.stripe.subscriptions.cancel(pro.id);
    await deliverNew([pro.id], seen);
    const afterPro = await planEndedEmails(userId);
    expect(afterPro.map((row) => row.payload)).toEqual([
      { planKey: "team", nowPlanKey: "pro", endsAt: expect.any(String), immediate: true },
      { planKey: "pro", nowPlanKey: "free", endsAt: expect.any(String), immediate: true },
    ]);
  });

  it("a cancellation scheduled on an extra subscription says nothing; one on the subscription giving the plan says when it ends", async () => {
    const seen = new Set<string>();
    const { userId, customerId } = await linkedUser(billing.stripe);
    const pro = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const team = await subscribe(billing.stripe, customerId, userId, "billfold_team_monthly");
    await deliverNew([pro.id, team.id], seen);

    await billing.stripe.subscriptions.update(pro.id, { cancel_at_period_end: true });
    await deliverNew([pro.id], seen);
    expect(await planEndedEmails(userId)).toEqual([]);

    await billing.stripe.subscriptions.update(team.id, { cancel_at_period_end: true });
    await deliverNew([team.id], seen);
    expect((await planEndedEmails(userId)).map((row) => row.payload)).toEqual([{ planKey: "team", endsAt: expect.any(String), immediate: false }]);
  });

  it("the email names the plan now in force", async () => {
    const { subscriptionCanceledMessage } = await import("../email/templates/billing");
    const message = subscriptionCanceledMessage({ to: "a@example.test", planName: "Team", nowPlanName: "Pro", endsOn: "7 Dec 2026", immediate: true, billingUrl: "http://localhost/billing" });
    expect(message.subject).toBe("Your Team plan has ended");
    expect(message.text).toContain("Your Billfold Team plan ended on 7 Dec 2026. You are on the Pro plan now;");
  });
});

describe("a subscription Billfold does not recognise", () => {
  it("on a £12/month price with no lookup key (on the Pro product) is shown as unrecognised, not as Free and active", async () => {
    const seen = new Set<string>();
    const { userId, customerId } = await linkedUser(billing.stripe);
    const proPrice = await billing.stripe.prices.retrieve(await priceIdFor(billing.stripe, "billfold_pro_monthly"));
    const odd = await billing.stripe.prices.create({ currency: "gbp", unit_amount: 1200, recurring: { interval: "month" }, product: String(proPrice.product) });
    const attached = await billing.stripe.paymentMethods.attach("pm_card_visa", { customer: customerId });
    await billing.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: attached.id } });
    const subscription = await billing.stripe.subscriptions.create({ customer: customerId, items: [{ price: odd.id }], metadata: { billfoldUserId: userId } });
    await deliverNew([subscription.id], seen);

    const overview = await getBillingOverview(userId);
    expect(overview.plan.key).toBe("free");
    expect(overview.subscription).toMatchObject({
      id: subscription.id,
      status: "active",
      recognised: false,
      unrecognised: { amountMinor: 1200, currency: "GBP", interval: "month", intervalCount: 1, description: "a subscription Billfold doesn't recognise: £12.00 a month" },
    });
  });

  it("a customer.subscription.updated for an id Stripe does not know (price null, status active) stores nothing", async () => {
    const { userId, subscription: pro, created, item } = await subscribedWithCreatedEvent("billfold_pro_monthly");
    const updated = aboutUnknownSubscription(created, "customer.subscription.updated", {
      status: "active",
      items: { object: "list", data: [{ ...item, price: null }] },
    });

    expect(await deliverEvent(updated)).toBe("ignored");
    expect(await db().subscription.count({ where: { userId, id: { not: pro.id } } })).toBe(0);
    expect((await getBillingOverview(userId)).subscription).toMatchObject({ id: pro.id, planKey: "pro", recognised: true, unrecognised: null });
  });
});

describe("a malformed but signed subscription event", () => {
  it("an item without a price or a period is stored with what it has, not thrown on", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const [item] = subscription.items.data;
    if (!item) throw new Error("no item");
    const { price: _price, current_period_start: _start, current_period_end: _end, ...bare } = item;
    const malformed = JSON.parse(JSON.stringify({ ...subscription, items: { ...subscription.items, data: [bare] } })) as Stripe.Subscription;
    const ticket = await takeSyncTicket(db());
    const outcome = await db().$transaction((tx) => syncSubscription(tx, malformed, { ticket }));
    expect(outcome.outcome).toBe("synced");
    expect(await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({
      planKey: null,
      currentPeriodStart: null,
      currentPeriodEnd: null,
    });
  });

  it("an event whose item has no price or period never ends failed or dead, delivered or replayed", async () => {
    const { created, item } = await subscribedWithCreatedEvent("billfold_pro_monthly");
    const { price: _price, current_period_start: _start, current_period_end: _end, ...bare } = item;
    const malformed = aboutUnknownSubscription(created, "customer.subscription.updated", { items: { object: "list", data: [bare] } });
    expect(await deliverEvent(malformed)).toBe("ignored");

    // The same event stored as failed by the unfixed code: an admin replay ends it, not fails it again.
    const { replayWebhookEvent } = await import("../admin/webhook-replay");
    await db().webhookEvent.update({ where: { stripeEventId: malformed.id }, data: { status: "failed", lastError: "PrismaClientValidationError" } });
    const admin = await db().user.create({ data: { email: `admin-${randomUUID()}@example.test`, role: "ADMIN" } });
    const stored = await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: malformed.id } });
    const replayed = await replayWebhookEvent(stored.id, { id: admin.id, email: admin.email });
    expect(replayed.outcome).toBe("ignored");
  });
});
