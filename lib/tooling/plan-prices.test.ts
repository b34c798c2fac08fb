import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../core/db";
import { startBillingEmulator, type BillingEmulator } from "@/test/billing";
import { ensurePlanPrice } from "../stripe/plan-prices";
import { setUpPlanPrices } from "./plan-prices";

// `npm run stripe:setup` against the emulator: idempotent, and a price change moves the lookup key.

let billing: BillingEmulator;
beforeAll(async () => {
  billing = await startBillingEmulator(); // already ran the setup once
});
afterAll(() => billing.emulator.close());

describe("stripe:setup", () => {
  it("changes nothing when run again", async () => {
    const outcomes = await setUpPlanPrices(db(), billing.stripe);
    expect(outcomes.map((outcome) => [outcome.planKey, outcome.action])).toEqual([
      ["pro", "unchanged"],
      ["team", "unchanged"],
    ]);
    expect((await billing.stripe.prices.list({ lookup_keys: ["billfold_pro_monthly", "billfold_team_monthly"] })).data).toHaveLength(2);
  });

  it("offers the plans' prices for switching in the portal, with cancellation at period end", async () => {
    const [configuration] = (await billing.stripe.billingPortal.configurations.list({ is_default: true })).data;
    const prices = (await billing.stripe.prices.list({ lookup_keys: ["billfold_pro_monthly", "billfold_team_monthly"] })).data;
    expect(configuration?.features.subscription_update).toMatchObject({ enabled: true, proration_behavior: "create_prorations" });
    expect(configuration?.features.subscription_update.products?.flatMap((product) => product.prices).sort()).toEqual(prices.map((price) => price.id).sort());
    expect(configuration?.features.subscription_cancel).toMatchObject({ enabled: true, mode: "at_period_end" });
    expect(configuration?.features.payment_method_update.enabled).toBe(true);
    expect(configuration?.features.invoice_history.enabled).toBe(true);
  });
  it("moves the lookup key to a new price when a plan's price changes, archiving the old one", async () => {
    const [before] = (await billing.stripe.prices.list({ lookup_keys: ["billfold_team_monthly"] })).data;
    // The Plan table is shared with other test files, so the changed plan is passed straight to Stripe's side.
    const team = { key: "team", name: "Team", lookupKey: "billfold_team_monthly", monthlyPriceMinor: 5900, currency: "GBP" }; // £59.00
    expect((await ensurePlanPrice(billing.stripe, team)).action).toBe("replaced");
    expect((await ensurePlanPrice(billing.stripe, team)).action).toBe("unchanged");
    const [after] = (await billing.stripe.prices.list({ lookup_keys: ["billfold_team_monthly"] })).data;
    expect(after).toMatchObject({ unit_amount: 5900, currency: "gbp", product: "billfold_plan_team", recurring: { interval: "month" } });
    expect(after?.id).not.toBe(before?.id);
    expect((await billing.stripe.prices.retrieve(before?.id ?? "")).active).toBe(false);
  });

});
