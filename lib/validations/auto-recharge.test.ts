import { describe, expect, it } from "vitest";
import { z } from "zod";
import { autoRechargeSettingsSchema } from "./auto-recharge";

const schema = autoRechargeSettingsSchema({ currency: "GBP", minStepMinor: 50, maxTargetMinor: 50_000, maxMonthlyCapMinor: 10_000_000 });

function fieldErrors(input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? {} : z.flattenError(result.error).fieldErrors;
}

describe("auto-recharge settings", () => {
  it("accepts a threshold, a target at least 50p above it and a cap covering one recharge", () => {
    expect(fieldErrors({ enabled: true, thresholdMinor: 500, targetMinor: 550, monthlyCapMinor: 50 })).toEqual({}); // £5.00 → £5.50, £0.50 a month
  });

  it("says what is wrong under each field, in money", () => {
    expect(fieldErrors({ enabled: true, thresholdMinor: 0, targetMinor: 2000, monthlyCapMinor: 5000 })).toEqual({ thresholdMinor: ["The threshold must be more than zero."] });
    expect(fieldErrors({ enabled: true, thresholdMinor: 500, targetMinor: 549, monthlyCapMinor: 5000 })).toEqual({
      targetMinor: ["The target must be at least £0.50 above the threshold (£5.50 or more)."],
    });
    expect(fieldErrors({ enabled: true, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 1499 })).toEqual({
      monthlyCapMinor: ["The monthly cap must cover at least one recharge: £15.00 or more (from the threshold up to the target)."],
    });
    expect(fieldErrors({ enabled: true, thresholdMinor: 500, targetMinor: 50_001, monthlyCapMinor: 60_000 })).toEqual({
      targetMinor: ["The target can be at most £500.00, the largest single top-up."],
    });
    expect(fieldErrors({ enabled: true, thresholdMinor: 5.5, targetMinor: 2000, monthlyCapMinor: 5000 })).toEqual({ thresholdMinor: ["Use whole minor units."] });
  });
});
