import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CurrentPlan } from "@/components/billing/current-plan";
import { PaymentProblem } from "@/components/billing/payment-problem";
import { SubscriptionDates } from "@/components/billing/subscription-dates";
import type { BillingOverview, PlanView, SubscriptionView } from "@/lib/billing/queries";

// What /billing says about a subscription, rendered as the server renders it.

const subscription = (overrides: Partial<SubscriptionView>): SubscriptionView => ({
  id: "sub_test",
  status: "active",
  planKey: "pro",
  planName: "Pro",
  currentPeriodStart: new Date("2027-02-12T10:00:00Z"),
  currentPeriodEnd: new Date("2027-03-12T10:00:00Z"),
  cancelAtPeriodEnd: false,
  cancelsAt: null,
  canceledAt: null,
  trialEnd: null,
  needsPaymentFix: false,
  graceEndsAt: null,
  recognised: true,
  unrecognised: null,
  ...overrides,
});

/** The text a person reads (scripts and tags dropped, entities decoded). */
function text(element: ReturnType<typeof createElement>): string {
  return renderToStaticMarkup(element)
    .replace(/<script[^>]*>.*?<\/script>/gs, " ")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'")
    .replace(/\s+/g, " ")
    .trim();
}

describe("SubscriptionDates", () => {
  it("says when an active plan renews, or when a canceled one ends", () => {
    expect(text(createElement(SubscriptionDates, { subscription: subscription({}) }))).toBe("Renews on 12 Mar 2027");
    const canceling = subscription({ cancelAtPeriodEnd: true, cancelsAt: new Date("2027-03-12T10:00:00Z") });
    expect(text(createElement(SubscriptionDates, { subscription: canceling }))).toBe("Cancels on 12 Mar 2027");
  });

  it("gives a trial's end, and nothing for a subscription that neither renews nor ends on a date", () => {
    const trial = subscription({ status: "trialing", trialEnd: new Date("2027-02-26T10:00:00Z") });
    expect(text(createElement(SubscriptionDates, { subscription: trial }))).toBe("Trial ends on 26 Feb 2027 · Renews on 12 Mar 2027");
    expect(renderToStaticMarkup(createElement(SubscriptionDates, { subscription: subscription({ status: "unpaid" }) }))).toBe("");
  });
});

describe("PaymentProblem", () => {
  const pastDue = subscription({ status: "past_due", needsPaymentFix: true, graceEndsAt: new Date("2027-02-19T10:00:00Z") });

  it("warns a past-due subscriber with the grace end and a Fix payment button to the portal", () => {
    const html = renderToStaticMarkup(createElement(PaymentProblem, { subscription: pastDue, now: new Date("2027-02-13T00:00:00Z") }));
    expect(html).toContain('role="alert"');
    expect(text(createElement(PaymentProblem, { subscription: pastDue, now: new Date("2027-02-13T00:00:00Z") }))).toBe(
      "Your last payment for the Pro plan failed. Update your card to keep your plan. Stripe will retry the payment; if it still fails, paid features stop on 19 Feb 2027. Fix payment",
    );
  });

  it("says the features stopped once the grace period is over, and that an unpaid subscription is on Free", () => {
    expect(text(createElement(PaymentProblem, { subscription: pastDue, now: new Date("2027-02-20T00:00:00Z") }))).toContain(
      "Paid features stopped on 19 Feb 2027. Update your card to restore your plan",
    );
    const unpaid = subscription({ status: "unpaid", needsPaymentFix: true });
    expect(text(createElement(PaymentProblem, { subscription: unpaid }))).toContain("you're on the Free plan until the invoice is paid");
  });

  it("shows nothing while payments are fine", () => {
    expect(renderToStaticMarkup(createElement(PaymentProblem, { subscription: subscription({}) }))).toBe("");
  });
});

describe("CurrentPlan", () => {
  const planView = (key: string, name: string, monthlyPriceMinor: number, monthlyCreditMinor: number): PlanView => ({
    key,
    name,
    monthlyPriceMinor,
    currency: "GBP",
    monthlyCreditMinor,
    monthlySpendLimitMinor: null,
    features: [],
    highlights: [],
    purchasable: monthlyPriceMinor > 0,
  });
  const free = planView("free", "Free", 0, 0);
  const team = planView("team", "Team", 4900, 4000); // £49.00 a month with £40.00 of credit
  const overview = (overrides: Partial<BillingOverview>): BillingOverview => ({
    plan: free,
    subscription: null,
    plans: [free, team],
    invoices: [],
    creditThisPeriod: { grantedMinor: 0, currency: "GBP", next: null, endsOn: null },
    hasBillingAccount: true,
    version: "v",
    ...overrides,
  });

  it("shows a subscription on a price Billfold does not know as what it is, never as Free with an Active badge and a renewal", () => {
    const unrecognised = subscription({
      planKey: null,
      planName: null,
      recognised: false,
      unrecognised: { description: "a subscription Billfold doesn't recognise: £12.00 a month", amountMinor: 1200, currency: "GBP", interval: "month", intervalCount: 1 },
    });
    const html = renderToStaticMarkup(createElement(CurrentPlan, { overview: overview({ subscription: unrecognised }) }));
    const shown = text(createElement(CurrentPlan, { overview: overview({ subscription: unrecognised }) }));
    expect(shown).toMatch(/^Current plan Free No monthly fee You have a subscription Billfold doesn't recognise: £12\.00 a month\. Active Renews on 12 Mar 2027 It gives you no Billfold plan\./);
    expect(shown).toContain("contact support");
    expect(html).toContain('data-testid="unrecognised-subscription"');
  });

  it("after Pro → Team set to cancel at period end: the credit added this period, and no more because the plan ends first", () => {
    const canceling = subscription({ planKey: "team", planName: "Team", cancelAtPeriodEnd: true, cancelsAt: new Date("2027-03-12T10:00:00Z") });
    const shown = text(
      createElement(CurrentPlan, {
        overview: overview({
          plan: team,
          subscription: canceling,
          creditThisPeriod: { grantedMinor: 1000, currency: "GBP", next: null, endsOn: new Date("2027-03-12T10:00:00Z") }, // £10.00 from Pro
        }),
      }),
    );
    expect(shown).toContain("Credit added this period £10.00 No more plan credit: your Team plan ends on 12 Mar 2027.");
    expect(shown).not.toContain("of £40.00");
  });

  it("says when the next plan credit comes for a plan that renews", () => {
    const shown = text(
      createElement(CurrentPlan, {
        overview: overview({
          plan: team,
          subscription: subscription({ planKey: "team", planName: "Team" }),
          creditThisPeriod: { grantedMinor: 4000, currency: "GBP", next: { amountMinor: 4000, on: new Date("2027-03-12T10:00:00Z") }, endsOn: null },
        }),
      }),
    );
    expect(shown).toContain("Credit added this period £40.00 £40.00 more when your plan renews on 12 Mar 2027.");
  });
});
