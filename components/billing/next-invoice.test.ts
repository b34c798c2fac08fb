import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NextInvoiceSummary } from "./next-invoice";

// The "Next invoice" card on /billing, rendered as the server renders it, for each thing Stripe can answer.

function text(element: ReturnType<typeof createElement>): string {
  return renderToStaticMarkup(element)
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'")
    .replace(/\s+/g, " ")
    .trim();
}

describe("NextInvoiceSummary", () => {
  it("states the amount due and the day, and the account credit Stripe takes off first", () => {
    const on = new Date("2027-02-01T00:00:00Z");
    expect(text(createElement(NextInvoiceSummary, { next: { kind: "due", amountDueMinor: 1500, totalMinor: 1500, creditAppliedMinor: 0, currency: "GBP", on } }))).toBe(
      "Next invoice £15.00 on 1 Feb 2027",
    );
    // £49.00 less £23.03 of credit = £25.97
    expect(text(createElement(NextInvoiceSummary, { next: { kind: "due", amountDueMinor: 2597, totalMinor: 4900, creditAppliedMinor: 2303, currency: "GBP", on } }))).toBe(
      "Next invoice £25.97 on 1 Feb 2027 £49.00, less £23.03 of account credit.",
    );
  });

  it("says so in one sentence when none is coming, or when Stripe did not answer", () => {
    expect(text(createElement(NextInvoiceSummary, { next: { kind: "none" } }))).toBe("Next invoice No invoice is coming: your plan ends with this billing period.");
    expect(text(createElement(NextInvoiceSummary, { next: { kind: "unavailable" } }))).toBe(
      "Next invoice We couldn't get your next invoice from Stripe just now. Your plan and invoices below are up to date.",
    );
  });
});
