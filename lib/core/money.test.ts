import { describe, expect, it } from "vitest";
import { currencySymbol, decimalStringToMinor, formatMoney, minorToDecimalString } from "./money";

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

describe("minorToDecimalString", () => {
  it("writes minor units as an exact decimal in major units", () => {
    expect(minorToDecimalString(1250, "GBP")).toBe("12.50"); // £12.50
    expect(minorToDecimalString(-1250, "GBP")).toBe("-12.50");
    expect(minorToDecimalString(5, "GBP")).toBe("0.05"); // 5p
    expect(minorToDecimalString(-5, "GBP")).toBe("-0.05");
    expect(minorToDecimalString(0, "GBP")).toBe("0.00");
    expect(minorToDecimalString(500, "JPY")).toBe("500"); // ¥500
    expect(minorToDecimalString(1234, "KWD")).toBe("1.234"); // three-decimal dinar
    expect(minorToDecimalString(9_007_199_254_740_991, "GBP")).toBe("90071992547409.91"); // the largest safe integer, still exact
    expect(() => minorToDecimalString(12.5, "GBP")).toThrow(RangeError);
  });
});

describe("decimalStringToMinor", () => {
  it("reads typed amounts exactly, signed, with at most the currency's decimals", () => {
    expect(decimalStringToMinor("12.50", "GBP")).toBe(1250); // £12.50
    expect(decimalStringToMinor(" 12.5 ", "GBP")).toBe(1250);
    expect(decimalStringToMinor("-0.05", "GBP")).toBe(-5); // -£0.05
    expect(decimalStringToMinor("+3", "GBP")).toBe(300);
    expect(decimalStringToMinor("0.29", "GBP")).toBe(29); // a float would give 28.999…
    expect(decimalStringToMinor("500", "JPY")).toBe(500); // ¥500
    expect(decimalStringToMinor("-0", "GBP")).toBe(0);
  });

  it("refuses anything else", () => {
    for (const text of ["", "abc", "1.234", "1,50", "1e3", "--1", ".5", "12.50.1", "99999999999999"]) expect(decimalStringToMinor(text, "GBP")).toBeNull();
    expect(decimalStringToMinor("5.5", "JPY")).toBeNull();
  });

  it("round-trips minorToDecimalString", () => {
    for (const minor of [0, 1, -1, 99, -1250, 123456789]) expect(decimalStringToMinor(minorToDecimalString(minor, "GBP"), "GBP")).toBe(minor);
  });
});
