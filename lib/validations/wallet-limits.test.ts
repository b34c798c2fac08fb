import { describe, expect, it } from "vitest";
import { walletLimitsFormSchema } from "./wallet-limits";

describe("walletLimitsFormSchema", () => {
  it("reads typed amounts as exact minor units, and empty as off", () => {
    expect(walletLimitsFormSchema("GBP").parse({ spendLimit: "25", lowBalanceThreshold: "4.50" })).toEqual({ spendLimit: 2500, lowBalanceThreshold: 450 }); // £25.00, £4.50
    expect(walletLimitsFormSchema("GBP").parse({ spendLimit: "", lowBalanceThreshold: "  " })).toEqual({ spendLimit: null, lowBalanceThreshold: null });
    expect(walletLimitsFormSchema("GBP").parse({ spendLimit: "0" })).toEqual({ spendLimit: 0, lowBalanceThreshold: null }); // 0 pauses spending
    expect(walletLimitsFormSchema("GBP").parse({ spendLimit: "£25", lowBalanceThreshold: "4,50" })).toEqual({ spendLimit: 2500, lowBalanceThreshold: 450 }); // pasted: £25.00, £4.50
    expect(walletLimitsFormSchema("JPY").parse({ spendLimit: "500", lowBalanceThreshold: "" })).toEqual({ spendLimit: 500, lowBalanceThreshold: null }); // ¥500
  });

  it("says under each field what is wrong with it", () => {
    const result = walletLimitsFormSchema("GBP").safeParse({ spendLimit: "12.345", lowBalanceThreshold: "0" });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues).toEqual([
      ["spendLimit", "Type the amount in digits, like 20.50, or leave it empty for no limit of your own."],
      ["lowBalanceThreshold", "Enter an amount above zero, or leave it empty for no alert."],
    ]);
    expect(walletLimitsFormSchema("GBP").safeParse({ spendLimit: "1000000.01" }).success).toBe(false); // past £1,000,000.00
  });
});
