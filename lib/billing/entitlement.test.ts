import { describe, expect, it } from "vitest";
import type { SubscriptionStatus } from "../generated/prisma/client";
import { db } from "../core/db";
import { deliverEvent, eventsAbout, linkedUser, subscribe, billingEmulatorForFile } from "@/test/billing";
import { effectivePlan, isEntitled } from "./entitlement";

const DAY = 86_400_000;
const periodStart = new Date("2027-03-01T00:00:00Z");
const periodEnd = new Date("2027-04-01T00:00:00Z");
const base = { currentPeriodStart: periodStart, currentPeriodEnd: periodEnd, cancelAtPeriodEnd: false, cancelAt: null };
const during = new Date("2027-03-03T00:00:00Z");

describe("what each status gives", () => {
  const table: Array<[SubscriptionStatus, boolean]> = [
    ["active", true],
    ["trialing", true],
    ["past_due", true], // within the grace period (7 days from the failed renewal)
    ["incomplete", false],
    ["incomplete_expired", false],
    ["unpaid", false],
    ["paused", false],
    ["canceled", false],
  ];
  it.each(table)("%s → paid features: %s", (status, entitled) => {
    expect(isEntitled({ ...base, status }, during, 7)).toBe(entitled);
  });

  it("past_due keeps the plan for the grace period from the failed renewal, then not", () => {
    const pastDue = { ...base, status: "past_due" as const };
    expect(isEntitled(pastDue, new Date(periodStart.getTime() + 7 * DAY - 1), 7)).toBe(true);
    expect(isEntitled(pastDue, new Date(periodStart.getTime() + 7 * DAY), 7)).toBe(false);
    expect(isEntitled(pastDue, during, 0)).toBe(false);
  });

  it("a subscription set to cancel keeps the plan until the period ends, not a second longer", () => {
    const canceling = { ...base, status: "active" as const, cancelAtPeriodEnd: true };
    expect(isEntitled(canceling, new Date(periodEnd.getTime() - 1000), 7)).toBe(true);
    expect(isEntitled(canceling, periodEnd, 7)).toBe(false);
    expect(isEntitled({ ...base, status: "active", cancelAt: new Date("2027-03-15T00:00:00Z") }, new Date("2027-03-16T00:00:00Z"), 7)).toBe(false);
  });

  it("the effective plan is the highest entitled one, else Free", () => {
    const free = { key: "free", sortOrder: 0 };
    const pro = { key: "pro", sortOrder: 1 };
    const team = { key: "team", sortOrder: 2 };
    expect(effectivePlan([], free, during, 7)).toEqual({ plan: free, subscription: null });
    const proSubscription = { ...base, status: "active" as const, plan: pro };
    expect(effectivePlan([proSubscription, { ...base, status: "unpaid", plan: team }], free, during, 7)).toEqual({ plan: pro, subscription: proSubscription });
    expect(effectivePlan([{ ...base, status: "active", plan: null }], free, during, 7)).toEqual({ plan: free, subscription: null });
  });
});

describe("a plan feature (statement export) after a downgrade", () => {
  const billing = billingEmulatorForFile();

  it("is kept until the period ends and lost when it does", async () => {
    const { hasFeature, requireFeature } = await import("./queries");
    const clock = await billing.stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
    const { userId, customerId } = await linkedUser(billing.stripe, { testClock: clock.id });
    const freeUser = await db().user.create({ data: { email: `free-${crypto.randomUUID()}@example.test` } });
    await expect(requireFeature(freeUser.id, "statement_export")).rejects.toMatchObject({ code: "plan_required", status: 403 });

    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    await billing.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const seen = new Set<string>();
    const deliverNew = async () => {
      for (const event of await eventsAbout(billing.stripe, [subscription.id, customerId])) {
        if (!seen.has(event.id)) await deliverEvent(event);
        seen.add(event.id);
      }
    };
    await deliverNew();
    const row = await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    const end = row.currentPeriodEnd;
    if (!end) throw new Error("no period end");
    expect(row.cancelAtPeriodEnd).toBe(true);
    expect(await hasFeature(userId, "statement_export", new Date(end.getTime() - 60_000))).toBe(true);
    await expect(requireFeature(userId, "statement_export", new Date(end.getTime() - 60_000))).resolves.toBeUndefined();
    // Even before the deletion event lands, the period end is the end.
    expect(await hasFeature(userId, "statement_export", new Date(end.getTime() + 60_000))).toBe(false);

    await billing.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: Math.floor(end.getTime() / 1000) + 60 });
    await deliverNew();
    expect((await db().subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe("canceled");
    expect(await hasFeature(userId, "statement_export")).toBe(false);
    expect(await db().emailOutbox.count({ where: { userId, kind: "subscription_canceled" } })).toBe(1);
  });
});
