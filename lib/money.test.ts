import { describe, expect, it } from "vitest";
import { currencySymbol, formatMoney } from "./money";

describe("formatMoney", () => {
  it("formats minor units for two-decimal and zero-decimal currencies", () => {
    expect(formatMoney(0, "GBP")).toBe("£0.00");
    expect(formatMoney(1999, "GBP")).toBe("£19.99"); // £19.99
    expect(formatMoney(-250, "GBP")).toBe("-£2.50");
    expect(formatMoney(500, "JPY")).toBe("JP¥500"); // yen have no minor unit
  });
});

describe("currencySymbol", () => {
  it("gives the symbol written next to amounts", () => {
    expect(currencySymbol("GBP")).toBe("£");
    expect(currencySymbol("EUR")).toBe("€");
    expect(currencySymbol("CHF")).toBe("CHF");
  });
});
