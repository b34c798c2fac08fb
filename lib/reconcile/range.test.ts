import { describe, expect, it } from "vitest";
import { lastDays, reconcileRangeSchema, toFormValue } from "./range";
import { stripeObjectOfKey } from "./expectations";
import { disputeHoldKey, disputeReleaseKey, planGrantKey, refundKey, refundReversalKey, topUpKey } from "../ledger";

describe("reconcileRangeSchema", () => {
  it("reads the form's minutes and dates as UTC, and full ISO times as they are", () => {
    expect(reconcileRangeSchema.parse({ from: "2026-11-24T14:05", to: "2026-11-25" })).toEqual({
      from: new Date("2026-11-24T14:05:00Z"),
      to: new Date("2026-11-25T00:00:00Z"),
    });
    expect(reconcileRangeSchema.parse({ from: "2026-11-24T14:05:00+01:00", to: "2026-11-24T14:00:00.000Z" }).from).toEqual(new Date("2026-11-24T13:05:00Z"));
  });

  it("refuses impossible dates, reversed ranges and ranges over the limit, each with its own message", () => {
    const messages = (input: { from: string; to: string }) => reconcileRangeSchema.safeParse(input).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(messages({ from: "2026-13-01", to: "2026-11-25" })).toEqual(["from: That is not a real date."]);
    expect(messages({ from: "yesterday", to: "2026-11-25" })).toEqual(["from: Use a date and time like 2026-11-24T14:05 (UTC)."]);
    expect(messages({ from: "2026-11-25", to: "2026-11-24" })).toEqual(["to: The start must be before the end."]);
    expect(messages({ from: "2026-01-01", to: "2026-11-24" })).toEqual(["to: Choose at most 92 days at a time."]);
  });

  it("defaults to whole minutes that round-trip through the form", () => {
    const range = lastDays(7, new Date("2026-11-24T14:05:30Z"));
    expect(range).toEqual({ from: new Date("2026-11-17T14:06:00Z"), to: new Date("2026-11-24T14:06:00Z") });
    expect(reconcileRangeSchema.parse({ from: toFormValue(range.from), to: toFormValue(range.to) })).toEqual(range);
  });
});

describe("stripeObjectOfKey", () => {
  it("names the Stripe object behind every reconciled key, and nothing for other effects", () => {
    expect(stripeObjectOfKey(topUpKey("cs_1"))).toEqual({ kind: "checkout_session", id: "cs_1" });
    expect(stripeObjectOfKey(refundKey("re_1"))).toEqual({ kind: "refund", id: "re_1" });
    expect(stripeObjectOfKey(refundReversalKey("re_1"))).toEqual({ kind: "refund", id: "re_1" });
    expect(stripeObjectOfKey(disputeHoldKey("dp_1"))).toEqual({ kind: "dispute", id: "dp_1" });
    expect(stripeObjectOfKey(disputeReleaseKey("dp_1"))).toEqual({ kind: "dispute", id: "dp_1" });
    expect(stripeObjectOfKey(planGrantKey("in_1"))).toBeNull();
    expect(stripeObjectOfKey(topUpKey(""))).toBeNull();
  });
});
