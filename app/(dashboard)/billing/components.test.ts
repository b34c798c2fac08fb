import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PaymentProblem } from "@/components/billing/payment-problem";
import { SubscriptionDates } from "@/components/billing/subscription-dates";
import type { SubscriptionView } from "@/lib/billing/queries";

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
  it("says when an active plan renews, or when a cancelled one ends", () => {
    expect(text(createElement(SubscriptionDates, { subscription: subscription({}) }))).toBe("Renews on 12 Mar 2027");
    const cancelling = subscription({ cancelAtPeriodEnd: true, cancelsAt: new Date("2027-03-12T10:00:00Z") });
    expect(text(createElement(SubscriptionDates, { subscription: cancelling }))).toBe("Cancels on 12 Mar 2027");
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
