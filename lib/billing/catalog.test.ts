import { describe, expect, it } from "vitest";
import { creditPacksFor, findCreditPack, planHighlights, plansFor } from "./catalog";

describe("the catalog follows the wallet currency", () => {
  it("prices packs and plans in minor units of the currency given", () => {
    expect(creditPacksFor("GBP").map((pack) => pack.amountMinor)).toEqual([500, 2000, 5000]); // £5, £20, £50
    expect(creditPacksFor("JPY").map((pack) => pack.amountMinor)).toEqual([5, 20, 50]); // ¥5, ¥20, ¥50: JPY has no minor unit
    expect(creditPacksFor("EUR").every((pack) => pack.currency === "EUR")).toBe(true);
    const pro = plansFor("USD").find((plan) => plan.key === "pro");
    expect(pro).toMatchObject({ currency: "USD", monthlyPriceMinor: 1500, monthlyCreditMinor: 1000 }); // $15.00, $10.00
    expect(pro && planHighlights(pro)[0]).toBe("US$10.00 of credit every month") // en-GB formatting;
    const free = plansFor("GBP").find((plan) => plan.key === "free");
    expect(free && planHighlights(free)).not.toContain("£0.00 of credit every month");
  });

  it("finds a pack by key in the configured currency", () => {
    expect(findCreditPack("standard", "GBP")).toEqual({ key: "standard", name: "Standard", amountMinor: 2000, currency: "GBP" });
    expect(findCreditPack("nope", "GBP")).toBeUndefined();
  });
});
