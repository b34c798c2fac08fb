// The `brand` option: the account's name on the pages people see, neutral unless an app passes its own.
import type Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { emulatorName, statementDescriptor } from "./brand";
import type { RunningEmulator } from "./index";
import { startTestEmulator } from "./testing";

let running: RunningEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function paidCharge(stripe: Stripe): Promise<Stripe.Charge> {
  const paymentIntent = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", payment_method: "pm_card_visa", confirm: true }); // $10.00
  const chargeId = typeof paymentIntent.latest_charge === "string" ? paymentIntent.latest_charge : paymentIntent.latest_charge?.id;
  return stripe.charges.retrieve(chargeId ?? "");
}

describe("brand", () => {
  it("names a neutral test account when no brand is given", async () => {
    const { emulator, stripe } = await startTestEmulator();
    running = emulator;
    const charge = await paidCharge(stripe);
    expect(charge.calculated_statement_descriptor).toBe("TEST ACCOUNT");
    expect(await (await fetch(charge.receipt_url ?? "")).text()).toContain("Receipt from TEST ACCOUNT");
    expect(await (await fetch(emulator.url)).json()).toMatchObject({ emulator: "test-account-stripe-emulator" });
  });

  it("puts the given brand on receipts, invoices and the server's greeting", async () => {
    const { emulator, stripe } = await startTestEmulator({ brand: "Acme Cloud" });
    running = emulator;
    const charge = await paidCharge(stripe);
    expect(charge.calculated_statement_descriptor).toBe("ACME CLOUD");
    const customer = await stripe.customers.create({ email: "brand@example.test" });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: "usd" }); // $5.00
    const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include" });
    expect(invoice.account_name).toBe("Acme Cloud (local emulator)");
    expect(await (await fetch(emulator.url)).json()).toMatchObject({ emulator: "acme-cloud-stripe-emulator" });
  });

  it("keeps statement descriptors to Stripe's 22 capitals and the greeting to a slug", () => {
    expect(statementDescriptor("Billfold")).toBe("BILLFOLD");
    expect(statementDescriptor("A very long business name indeed")).toBe("A VERY LONG BUSINESS N");
    expect(emulatorName("Billfold")).toBe("billfold-stripe-emulator");
    expect(emulatorName("!!!")).toBe("stripe-emulator");
  });
});
