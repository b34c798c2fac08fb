import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { billingEmulatorForFile, deliverEvent, eventsAbout, linkedUser, priceIdFor, subscribe, switchToFailingCard } from "@/test/billing";

// What's next on the bill, and a plan switch shown before it is made, against Postgres and the emulator on
// test clocks: Pro £15.00 and Team £49.00 a month, subscribed on 1 Jan 2027 (a 31-day period).

const billing = billingEmulatorForFile();

const { getNextInvoice } = await import("./next-invoice");
const { confirmPlanChange, previewPlanChange } = await import("./plan-switch");

const DAY = 24 * 3600;
const JAN_1 = Date.UTC(2027, 0, 1) / 1000;
const JAN_11 = JAN_1 + 10 * DAY;
const FEB_1 = Date.UTC(2027, 1, 1) / 1000;
// Pro → Team on 11 Jan, 21 of 31 days left: +£49.00 × 21/31 = £33.19, −£15.00 × 21/31 = −£10.16.
const DUE_PRO_TO_TEAM_JAN_11 = 3319 - 1016; // £23.03

async function subscriber(lookupKey: string, at = JAN_11) {
  const clock = await billing.stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
  const { userId, customerId } = await linkedUser(billing.stripe, { testClock: clock.id });
  const subscription = await subscribe(billing.stripe, customerId, userId, lookupKey);
  if (at > JAN_1) await billing.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: at });
  return { clock, userId, customerId, subscription };
}

/** The mirror as the webhooks leave it. */
async function syncMirror(ids: string[]) {
  for (const event of await eventsAbout(billing.stripe, ids)) await deliverEvent(event);
}

async function subscriptionUpdateInvoices(subscriptionId: string): Promise<Stripe.Invoice[]> {
  const invoices = await billing.stripe.invoices.list({ subscription: subscriptionId, limit: 100 });
  return invoices.data.filter((invoice) => invoice.billing_reason === "subscription_update");
}

function previewOf(offer: Awaited<ReturnType<typeof previewPlanChange>>) {
  if (offer.kind !== "preview") throw new Error(`expected a preview, got: ${offer.message}`);
  return offer.preview;
}

describe("the next invoice on /billing", () => {
  it("is the subscription's next renewal from Stripe: the amount and the day it is charged", async () => {
    const { userId, customerId, subscription } = await subscriber("billfold_pro_monthly");
    await syncMirror([subscription.id, customerId]);
    expect(await getNextInvoice(userId, { id: subscription.id, status: "active" })).toEqual({
      kind: "due",
      amountDueMinor: 1500, // £15.00
      totalMinor: 1500,
      creditAppliedMinor: 0,
      currency: "GBP",
      on: new Date(FEB_1 * 1000),
    });
  });

  it("is none when the plan ends at the period end, or without a subscription", async () => {
    const { userId, customerId, subscription } = await subscriber("billfold_pro_monthly");
    await billing.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    await syncMirror([subscription.id, customerId]);
    expect(await getNextInvoice(userId, { id: subscription.id, status: "active" })).toEqual({ kind: "none" });
    expect(await getNextInvoice(userId, null)).toEqual({ kind: "none" });
  });

  it("previews only the user's own subscription, and turns a Stripe failure into `unavailable` instead of an error", async () => {
    const owner = await subscriber("billfold_pro_monthly");
    await syncMirror([owner.subscription.id, owner.customerId]);
    const other = await linkedUser(billing.stripe);
    expect(await getNextInvoice(other.userId, { id: owner.subscription.id, status: "active" })).toEqual({ kind: "none" });

    // The mirror still has a subscription Stripe no longer knows: Stripe answers 404, the page gets a sentence.
    await db().subscription.update({ where: { id: owner.subscription.id }, data: { id: "sub_goneFromStripe" } });
    expect(await getNextInvoice(owner.userId, { id: "sub_goneFromStripe", status: "active" })).toEqual({ kind: "unavailable" });
  });
});

describe("switching plans in the app", () => {
  it("shows what is due today and after, from Stripe's preview, and the switch charges exactly that", async () => {
    const { userId, subscription } = await subscriber("billfold_pro_monthly");
    const preview = previewOf(await previewPlanChange(userId, "team"));
    expect(preview).toMatchObject({
      planKey: "team",
      planName: "Team",
      dueTodayMinor: DUE_PRO_TO_TEAM_JAN_11,
      creditMinor: 0,
      currency: "GBP",
      thenMonthlyMinor: 4900, // £49.00
      thenFrom: new Date(FEB_1 * 1000),
      prorationDate: JAN_11,
    });
    // Looking changed nothing.
    expect((await billing.stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.price.lookup_key).toBe("billfold_pro_monthly");

    await confirmPlanChange(userId, "team", { prorationDate: preview.prorationDate, switchId: preview.switchId });
    const switched = await billing.stripe.subscriptions.retrieve(subscription.id);
    expect(switched.items.data[0]?.price.id).toBe(await priceIdFor(billing.stripe, "billfold_team_monthly"));
    const invoices = await subscriptionUpdateInvoices(subscription.id);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ status: "paid", amount_paid: preview.dueTodayMinor });
  });

  it("a downgrade between paid plans charges nothing today and says how much becomes account credit", async () => {
    const { userId } = await subscriber("billfold_team_monthly");
    const preview = previewOf(await previewPlanChange(userId, "pro"));
    expect(preview).toMatchObject({ dueTodayMinor: 0, creditMinor: DUE_PRO_TO_TEAM_JAN_11, thenMonthlyMinor: 1500 }); // £23.03 of credit
  });

  it("submitting one confirmation twice switches and charges once", async () => {
    const { userId, subscription } = await subscriber("billfold_pro_monthly");
    const preview = previewOf(await previewPlanChange(userId, "team"));
    const confirmation = { prorationDate: preview.prorationDate, switchId: preview.switchId };
    const results = await Promise.allSettled([confirmPlanChange(userId, "team", confirmation), confirmPlanChange(userId, "team", confirmation)]);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "already_on_plan" });
    expect(await subscriptionUpdateInvoices(subscription.id)).toHaveLength(1);
  });

  it("refuses a proration date that is not Stripe's recent one (a stale page, or one made up in the browser)", async () => {
    const { clock, userId, subscription } = await subscriber("billfold_pro_monthly");
    const preview = previewOf(await previewPlanChange(userId, "team"));
    // Made up: the end of the period would make an upgrade cost nothing.
    await expect(confirmPlanChange(userId, "team", { prorationDate: FEB_1 - 60, switchId: preview.switchId })).rejects.toMatchObject({ code: "preview_expired", status: 409 });
    // Stale: the page was left open for an hour.
    await billing.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: JAN_11 + 3600 });
    await expect(confirmPlanChange(userId, "team", { prorationDate: preview.prorationDate, switchId: preview.switchId })).rejects.toMatchObject({ code: "preview_expired" });
    expect(await subscriptionUpdateInvoices(subscription.id)).toHaveLength(0);
    expect((await billing.stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.price.lookup_key).toBe("billfold_pro_monthly");
  });

  it("a past-due subscription is sent to the portal, and confirming anyway is refused", async () => {
    const { clock, userId, customerId, subscription } = await subscriber("billfold_pro_monthly", JAN_1);
    await switchToFailingCard(billing.stripe, customerId, subscription.id);
    await billing.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FEB_1 + 3600 });
    expect((await billing.stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    const offer = await previewPlanChange(userId, "team");
    expect(offer).toEqual({ kind: "portal", message: expect.stringContaining("Your last payment didn't go through") });
    await expect(confirmPlanChange(userId, "team", { prorationDate: FEB_1 + 3600, switchId: crypto.randomUUID() })).rejects.toMatchObject({ code: "switch_in_portal" });
  });

  it("without a subscription, or to the plan already held, there is nothing to switch", async () => {
    const { userId } = await linkedUser(billing.stripe);
    await expect(previewPlanChange(userId, "team")).rejects.toMatchObject({ code: "no_subscription", status: 409 });
    const pro = await subscriber("billfold_pro_monthly");
    await expect(previewPlanChange(pro.userId, "pro")).rejects.toMatchObject({ code: "already_on_plan" });
    await expect(previewPlanChange(pro.userId, "free")).rejects.toMatchObject({ code: "validation_error" });
  });
});
