import { describe, expect, it } from "vitest";
import { parseMajorAmount } from "./wallet";

describe("parseMajorAmount", () => {
  it("turns typed amounts into exact minor units", () => {
    expect(parseMajorAmount("12.5", 2)).toBe(1250); // £12.50
    expect(parseMajorAmount("12.50", 2)).toBe(1250);
    expect(parseMajorAmount("0.10", 2)).toBe(10); // would be 10.000000000000002 with float maths on some inputs
    expect(parseMajorAmount("500", 0)).toBe(500); // ¥500
  });

  it("rejects anything else", () => {
    for (const bad of ["", "abc", "-5", "1.234", "1e3", "5,00", "."]) expect(parseMajorAmount(bad, 2)).toBeNull();
  });
});
