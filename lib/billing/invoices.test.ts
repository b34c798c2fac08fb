import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { deliverEvent, eventsAbout, linkedUser, subscribe, withNewId, switchToFailingCard, billingEmulatorForFile } from "@/test/billing";

// Plan credit per paid invoice, renewals by test clock, and failed renewals, against the emulator.

const billing = billingEmulatorForFile();

const { grantsCredit } = await import("./invoices");
const { getBillingOverview, getEffectivePlan } = await import("./queries");

async function grants(userId: string) {
  return db().ledgerEntry.findMany({ where: { type: "PLAN_GRANT", wallet: { userId } }, orderBy: { createdAt: "asc" } });
}

/** Delivers every event about these objects not delivered yet, each twice (Stripe's at-least-once). */
async function deliverAll(ids: string[], seen: Set<string>) {
  for (const event of await eventsAbout(billing.stripe, ids)) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    await deliverEvent(event);
    await deliverEvent(event);
  }
}

async function clockedSubscriber(lookupKey: string, paymentMethod = "pm_card_visa") {
  const clock = await billing.stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
  const { userId, customerId } = await linkedUser(billing.stripe, { testClock: clock.id });
  const subscription = await subscribe(billing.stripe, customerId, userId, lookupKey, paymentMethod);
  return { clock, userId, customerId, subscription };
}

async function advanceOnePeriod(clock: Stripe.TestHelpers.TestClock, subscriptionId: string) {
  const subscription = await billing.stripe.subscriptions.retrieve(subscriptionId);
  const periodEnd = Math.min(...subscription.items.data.map((item) => item.current_period_end));
  await billing.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: periodEnd + 3600 });
}

/** A Pro subscriber whose renewal failed: the card on file (4000 0000 0000 0341) attaches, then every charge fails. */
async function pastDueSubscriber(seen: Set<string>) {
  const subscriber = await clockedSubscriber("billfold_pro_monthly");
  const { clock, customerId, subscription } = subscriber;
  await deliverAll([subscription.id, customerId], seen);
  await switchToFailingCard(billing.stripe, customerId, subscription.id);
  await advanceOnePeriod(clock, subscription.id);
  await deliverAll([subscription.id, customerId], seen);
  return subscriber;
}

describe("the monthly plan credit", () => {
  it("grants the plan's credit once per paid invoice, however many invoice events report it", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const events = await eventsAbout(billing.stripe, [subscription.id, customerId]);
    const paid = events.filter((event) => event.type === "invoice.paid" || event.type === "invoice.payment_succeeded");
    expect(paid.map((event) => event.type).sort()).toEqual(["invoice.paid", "invoice.payment_succeeded"]);
    for (const event of events) await deliverEvent(event);
    // Redeliveries, and the same news under new event ids.
    for (const event of paid) {
      await deliverEvent(event);
      await deliverEvent(withNewId(event));
    }
    const entries = await grants(userId);
    expect(entries.map((entry) => [entry.amountMinor, entry.idempotencyKey])).toEqual([[1000, `plan_grant:${subscription.latest_invoice}`]]); // £10.00
    const overview = await getBillingOverview(userId);
    expect(overview.plan.key).toBe("pro");
    // The next £10.00 comes with the renewal at the period's end.
    const periodEnd = new Date((subscription.items.data[0]?.current_period_end ?? 0) * 1000);
    expect(overview.creditThisPeriod).toEqual({ grantedMinor: 1000, currency: "GBP", next: { amountMinor: 1000, on: periodEnd }, endsOn: null });
    expect(overview.invoices).toHaveLength(1);
    expect(overview.invoices[0]).toMatchObject({ status: "paid", totalMinor: 1500, amountPaidMinor: 1500, currency: "GBP" });
  });

  it("grants for period invoices only: a proration invoice (plan change) and a $0 invoice grant nothing", () => {
    const paid = { status: "paid" as const, amount_paid: 1500 };
    expect(grantsCredit({ ...paid, billing_reason: "subscription_create" })).toBe(true);
    expect(grantsCredit({ ...paid, billing_reason: "subscription_cycle" })).toBe(true);
    expect(grantsCredit({ ...paid, billing_reason: "subscription_update" })).toBe(false);
    expect(grantsCredit({ ...paid, billing_reason: "manual" })).toBe(false);
    expect(grantsCredit({ status: "paid", amount_paid: 0, billing_reason: "subscription_create" })).toBe(false);
    expect(grantsCredit({ status: "open", amount_paid: 0, billing_reason: "subscription_cycle" })).toBe(false);
  });

  it("a renewal one period later grants a second time, exactly once, and sends a receipt", async () => {
    const { clock, userId, customerId, subscription } = await clockedSubscriber("billfold_pro_monthly");
    const seen = new Set<string>();
    await deliverAll([subscription.id, customerId], seen);
    expect((await grants(userId)).map((entry) => entry.amountMinor)).toEqual([1000]);

    await advanceOnePeriod(clock, subscription.id);
    await deliverAll([subscription.id, customerId], seen);
    const renewed = await billing.stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.latest_invoice).not.toBe(subscription.latest_invoice);
    const entries = await grants(userId);
    expect(entries.map((entry) => [entry.amountMinor, entry.idempotencyKey])).toEqual([
      [1000, `plan_grant:${subscription.latest_invoice}`],
      [1000, `plan_grant:${renewed.latest_invoice}`],
    ]);
    const wallet = await db().wallet.findFirstOrThrow({ where: { userId } });
    expect(wallet.balanceMinor).toBe(2000); // £20.00: two months of Pro credit
    const overview = await getBillingOverview(userId);
    expect(overview.creditThisPeriod.grantedMinor).toBe(1000); // this period's grant only
    expect(overview.invoices.map((invoice) => invoice.status)).toEqual(["paid", "paid"]);
    const receipts = await db().emailOutbox.findMany({ where: { userId, kind: "renewal_receipt" } });
    expect(receipts.map((row) => row.key)).toEqual([`renewal-receipt:${renewed.latest_invoice}`]);
  });

  it("a renewal that fails leaves the user past_due with the fix-payment prompt, still on the plan during the grace period", async () => {
    const { userId, subscription } = await pastDueSubscriber(new Set());
    expect((await billing.stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    const overview = await getBillingOverview(userId);
    expect(overview.subscription).toMatchObject({ status: "past_due", needsPaymentFix: true });
    expect(overview.subscription?.graceEndsAt).toBeInstanceOf(Date);
    expect((await grants(userId)).map((entry) => entry.amountMinor)).toEqual([1000]); // no credit for an unpaid renewal
    const failedNotices = await db().emailOutbox.findMany({ where: { userId, kind: "payment_failed" } });
    expect(failedNotices).toHaveLength(1);

    // Paid features last through the grace period, measured from the failed renewal's period start.
    const periodStart = overview.subscription?.currentPeriodStart;
    if (!periodStart) throw new Error("no period start");
    expect((await getEffectivePlan(userId, new Date(periodStart.getTime() + 86_400_000))).plan.key).toBe("pro");
    expect((await getEffectivePlan(userId, new Date(periodStart.getTime() + 8 * 86_400_000))).plan.key).toBe("free");
  });

  it("after the last retry fails the subscription is canceled and the user is back on Free, with the plan credit kept", async () => {
    const seen = new Set<string>();
    const { clock, userId, customerId, subscription } = await pastDueSubscriber(seen);

    // Stripe's retries (3, 5 and 7 days apart in the emulator) all fail; the subscription is canceled.
    const now = (await billing.stripe.testHelpers.testClocks.retrieve(clock.id)).frozen_time;
    await billing.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: now + 16 * 86_400 });
    await deliverAll([subscription.id, customerId], seen);
    const final = await billing.stripe.subscriptions.retrieve(subscription.id);
    expect(final.status).toBe("canceled");
    const overview = await getBillingOverview(userId);
    expect(overview.plan.key).toBe("free");
    expect(overview.subscription).toBeNull(); // nothing left to show but the Free plan
    expect((await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe("canceled");
    // A notice for the failed renewal, then (the retries' events handled after the fact, each reading the
    // invoice as it is now) one saying there will be no more attempts; and one "plan ended" email.
    const notices = await db().emailOutbox.findMany({ where: { userId, kind: "payment_failed" }, orderBy: { createdAt: "asc" } });
    expect(notices.map((row) => row.key.split(":").at(-1))).toEqual(["1", "4"]);
    expect(notices.at(-1)?.payload).toMatchObject({ nextAttemptAt: null });
    expect(await db().emailOutbox.count({ where: { userId, kind: "subscription_canceled" } })).toBe(1);
    expect((await grants(userId)).map((entry) => entry.amountMinor)).toEqual([1000]);
  });

  it("a plan change invoiced at once (proration) grants nothing; the new plan's credit comes with the next renewal", async () => {
    const { clock, userId, customerId, subscription } = await clockedSubscriber("billfold_pro_monthly");
    const seen = new Set<string>();
    await deliverAll([subscription.id, customerId], seen);
    const item = subscription.items.data[0];
    if (!item) throw new Error("no item");
    const now = (await billing.stripe.testHelpers.testClocks.retrieve(clock.id)).frozen_time;
    await billing.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: now + 10 * 86_400 });
    const teamPrice = (await billing.stripe.prices.list({ lookup_keys: ["billfold_team_monthly"] })).data[0];
    if (!teamPrice) throw new Error("no Team price");
    const upgraded = await billing.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: teamPrice.id }], proration_behavior: "always_invoice" });
    await deliverAll([subscription.id, customerId], seen);

    const prorationInvoice = await billing.stripe.invoices.retrieve(String(upgraded.latest_invoice));
    expect(prorationInvoice).toMatchObject({ billing_reason: "subscription_update", status: "paid" });
    expect(prorationInvoice.amount_paid).toBeGreaterThan(0);
    expect(prorationInvoice.lines.data.every((line) => line.parent?.subscription_item_details?.proration)).toBe(true);
    expect((await grants(userId)).map((entry) => entry.amountMinor)).toEqual([1000]); // Pro's first month only
    expect((await getEffectivePlan(userId)).plan.key).toBe("team");
    const mirrored = await db().invoice.findUniqueOrThrow({ where: { id: prorationInvoice.id } });
    expect(mirrored).toMatchObject({ billingReason: "subscription_update", status: "paid" });

    await advanceOnePeriod(clock, subscription.id);
    await deliverAll([subscription.id, customerId], seen);
    expect((await grants(userId)).map((entry) => entry.amountMinor)).toEqual([1000, 4000]); // then Team's £40.00
  });
});
