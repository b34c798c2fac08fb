import { describe, expect, it } from "vitest";
import { amountFormatHint, parseMajorAmount } from "./wallet";

describe("parseMajorAmount", () => {
  it("turns typed amounts into exact minor units", () => {
    expect(parseMajorAmount("12.5", 2)).toBe(1250); // £12.50
    expect(parseMajorAmount("12.50", 2)).toBe(1250);
    expect(parseMajorAmount("0.10", 2)).toBe(10); // would be 10.000000000000002 with float maths on some inputs
    expect(parseMajorAmount("500", 0)).toBe(500); // ¥500
  });

  it("rejects anything else", () => {
    for (const bad of ["", "abc", "-5", "1.234", "1e3", "."]) expect(parseMajorAmount(bad, 2)).toBeNull();
  });

  it("reads amounts as people paste them: the currency's own symbol or code, spaces, a decimal comma, thousands separators", () => {
    expect(parseMajorAmount("£20", 2, "GBP")).toBe(2000); // £20.00
    expect(parseMajorAmount(" £ 20.50 ", 2, "GBP")).toBe(2050); // £20.50
    expect(parseMajorAmount("20,50", 2, "GBP")).toBe(2050); // £20.50
    expect(parseMajorAmount("5,5", 2, "GBP")).toBe(550); // £5.50
    expect(parseMajorAmount("£1,234.56", 2, "GBP")).toBe(123456); // £1,234.56
    expect(parseMajorAmount("GBP 20", 2, "GBP")).toBe(2000);
    expect(parseMajorAmount("20 gbp", 2, "GBP")).toBe(2000);
    expect(parseMajorAmount("¥500", 0, "JPY")).toBe(500); // ¥500
  });

  it("refuses what it cannot read for certain: another currency, an ambiguous comma, a sign", () => {
    for (const bad of ["$20", "€20", "USD 20", "1,000", "1,234,5", "£-5", "££20", "20,505"]) expect(parseMajorAmount(bad, 2, "GBP"), bad).toBeNull();
    expect(amountFormatHint(2)).toBe("Type the amount in digits, like 20.50.");
    expect(amountFormatHint(0)).toBe("Type the amount in digits, like 500.");
  });
});
