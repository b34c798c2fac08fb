import { describe, expect, it } from "vitest";
import { checkoutRequestSchema } from "./checkout";

describe("checkoutRequestSchema", () => {
  it("accepts a pack or an amount, with or without kind: topup, never a client-supplied price", () => {
    expect(checkoutRequestSchema.parse({ packKey: "starter" })).toEqual({ kind: "topup", packKey: "starter" });
    expect(checkoutRequestSchema.parse({ kind: "topup", amountMinor: 1500 })).toEqual({ kind: "topup", amountMinor: 1500 }); // £15.00
    for (const refused of [{ packKey: "starter", amountMinor: 1 }, { amountMinor: 12.5 }, {}, { packKey: "starter", unit_amount: 1 }]) {
      expect(checkoutRequestSchema.safeParse(refused).success, JSON.stringify(refused)).toBe(false);
    }
  });

  it("accepts a plan by key only, and nothing that is neither", () => {
    expect(checkoutRequestSchema.parse({ kind: "subscription", planKey: "pro" })).toEqual({ kind: "subscription", planKey: "pro" });
    for (const refused of [
      { kind: "subscription" },
      { kind: "subscription", planKey: "" },
      { kind: "subscription", planKey: "pro", priceId: "price_123" },
      { kind: "subscription", packKey: "starter" },
      { kind: "gift", packKey: "starter" },
      null,
    ]) {
      expect(checkoutRequestSchema.safeParse(refused).success, JSON.stringify(refused)).toBe(false);
    }
  });
});
