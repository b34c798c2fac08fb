import { describe, expect, it } from "vitest";
import { planActionsFor } from "./plan-actions";
import type { PlanView, SubscriptionView } from "./queries";

const plan = (key: string, purchasable: boolean): PlanView => ({
  key,
  name: key,
  monthlyPriceMinor: 0,
  currency: "GBP",
  monthlyCreditMinor: 0,
  monthlySpendLimitMinor: null,
  features: [],
  highlights: [],
  purchasable,
});
const free = plan("free", false);
const pro = plan("pro", true);
const team = plan("team", true);
const plans = [free, pro, team];
const subscription = (status: SubscriptionView["status"]): SubscriptionView => ({
  id: "sub_test",
  status,
  planKey: "pro",
  planName: "Pro",
  currentPeriodStart: null,
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  cancelsAt: null,
  canceledAt: null,
  trialEnd: null,
  needsPaymentFix: status === "past_due" || status === "unpaid",
  graceEndsAt: null,
  recognised: true,
  unrecognised: null,
});

describe("planActionsFor", () => {
  it("offers Checkout for every paid plan to a user without a subscription", () => {
    expect(planActionsFor({ plan: free, plans, subscription: null })).toEqual({ free: "current", pro: "upgrade", team: "upgrade" });
  });

  it("sends a subscriber to the portal to change plan or go back to Free", () => {
    expect(planActionsFor({ plan: pro, plans, subscription: subscription("active") })).toEqual({ free: "downgrade", pro: "current", team: "change" });
  });

  it("never offers a second Checkout while a subscription is live but not paying (unpaid, past due after grace)", () => {
    expect(planActionsFor({ plan: free, plans, subscription: subscription("unpaid") })).toEqual({ free: "current", pro: "change", team: "change" });
  });
});
