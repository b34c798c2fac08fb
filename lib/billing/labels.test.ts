import { describe, expect, it } from "vitest";
import { describeBillingChanges, type BillingLook } from "./labels";

// The banner after the Customer Portal names what changed there (lib/billing/labels.ts).

const free = { key: "free", name: "Free", paid: false };
const pro = { key: "pro", name: "Pro", paid: true };
const team = { key: "team", name: "Team", paid: true };
const onPro: BillingLook = { plan: pro, subscription: { status: "active", cancelsAt: null } };

describe("describeBillingChanges", () => {
  it("says nothing when nothing changed", () => {
    expect(describeBillingChanges(onPro, onPro)).toEqual([]);
    expect(describeBillingChanges({ plan: free, subscription: null }, { plan: free, subscription: null })).toEqual([]);
  });

  it("names a cancellation at the period end, a changed end, and a cancellation undone", () => {
    const ending: BillingLook = { plan: pro, subscription: { status: "active", cancelsAt: "2027-01-07T10:00:00.000Z" } };
    expect(describeBillingChanges(onPro, ending)).toEqual(["Your Pro plan will end on 7 Jan 2027."]);
    expect(describeBillingChanges(ending, { plan: pro, subscription: { status: "active", cancelsAt: "2027-02-07T10:00:00.000Z" } })).toEqual([
      "Your Pro plan will now end on 7 Feb 2027.",
    ]);
    expect(describeBillingChanges(ending, onPro)).toEqual(["Your Pro plan is no longer set to end; it renews as before."]);
  });

  it("names a plan change, and a plan that ended", () => {
    expect(describeBillingChanges(onPro, { plan: team, subscription: { status: "active", cancelsAt: null } })).toEqual(["You're on the Team plan now."]);
    expect(describeBillingChanges(onPro, { plan: team, subscription: { status: "active", cancelsAt: "2027-01-07T00:00:00.000Z" } })).toEqual([
      "You're on the Team plan now.",
      "Your Team plan will end on 7 Jan 2027.",
    ]);
    expect(describeBillingChanges(onPro, { plan: free, subscription: null })).toEqual(["Your Pro plan has ended; you're on the Free plan."]);
  });

  it("names a payment fixed with a new card", () => {
    expect(describeBillingChanges({ plan: pro, subscription: { status: "past_due", cancelsAt: null } }, onPro)).toEqual(["Your payment went through; your Pro plan is active."]);
  });
});
