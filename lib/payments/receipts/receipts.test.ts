import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { pointStripeAtEmulator } from "@/test/emulator-deliveries";
import { db, type Prisma } from "../../core/db";

// The receipt page's data: the owner's paid purchase only, the payment as Stripe reported it, the
// seller and VAT from config, what happened since; and, for a paid purchase whose charge was never
// seen, its details asked of Stripe (here the project's emulator) once and stored.

const emulator = await startEmulator({ port: 0 });
pointStripeAtEmulator(emulator.url, { secretKey: "sk_test_billfold_emulator" });

const { env } = await import("../../core/env");
const { getReceipt } = await import("./receipts");

const stripe = emulatorStripe(emulator, "sk_test_billfold_emulator");

afterAll(() => emulator.close());

const businessDefaults = {
  BILLFOLD_BUSINESS_NAME: env().BILLFOLD_BUSINESS_NAME,
  BILLFOLD_BUSINESS_ADDRESS: env().BILLFOLD_BUSINESS_ADDRESS,
  BILLFOLD_VAT_NUMBER: env().BILLFOLD_VAT_NUMBER,
  BILLFOLD_VAT_RATE_BP: env().BILLFOLD_VAT_RATE_BP,
};
afterEach(() => {
  Object.assign(env(), businessDefaults);
});

async function user() {
  return db().user.create({ data: { email: `receipt-${randomUUID()}@example.test` } });
}

const PAID_AT = new Date("2026-11-20T10:30:00Z");

async function paidPurchase(userId: string, data: Partial<Prisma.PurchaseUncheckedCreateInput> = {}) {
  return db().purchase.create({
    data: {
      userId,
      packKey: "starter",
      amountMinor: 500, // £5.00
      currency: "GBP",
      status: "paid",
      paidAt: PAID_AT,
      checkoutSessionId: `cs_test_${randomUUID()}`,
      paymentIntentId: `pi_test_${randomUUID()}`,
      chargeId: `ch_test_${randomUUID()}`,
      receiptUrl: "https://pay.stripe.example/receipts/payment/abc",
      cardBrand: "visa",
      cardLast4: "4242",
      ...data,
    },
  });
}

describe("getReceipt", () => {
  it("gives the owner the receipt of a paid purchase: amount, date, card, references, what was bought, the seller", async () => {
    const owner = await user();
    const purchase = await paidPurchase(owner.id);
    const receipt = await getReceipt(owner.id, purchase.id, { lookUpMissingDetails: false });
    expect(receipt).toMatchObject({
      purchaseId: purchase.id,
      amountMinor: 500,
      currency: "GBP",
      paidAt: PAID_AT,
      description: "Starter credit pack",
      paymentMethod: "Visa ending in 4242",
      paymentIntentId: purchase.paymentIntentId,
      chargeId: purchase.chargeId,
      stripeReceiptUrl: "https://pay.stripe.example/receipts/payment/abc",
      status: { label: "Paid" },
      afterPayment: [],
      business: { name: "Billfold", addressLines: [], vatNumber: null, vatRateBasisPoints: null },
      vat: null,
    });
  });

  it("is null for anyone else's purchase, an unknown id, and a purchase that was never paid", async () => {
    const owner = await user();
    const stranger = await user();
    const purchase = await paidPurchase(owner.id);
    const unpaid = await db().purchase.create({ data: { userId: owner.id, amountMinor: 500, currency: "GBP", status: "pending" } });
    const failed = await db().purchase.create({ data: { userId: owner.id, amountMinor: 500, currency: "GBP", status: "failed" } });
    expect(await getReceipt(stranger.id, purchase.id)).toBeNull();
    expect(await getReceipt(owner.id, `missing-${randomUUID()}`)).toBeNull();
    expect(await getReceipt(owner.id, unpaid.id)).toBeNull();
    expect(await getReceipt(owner.id, failed.id)).toBeNull();
  });

  it("names a custom amount a wallet top-up, and says what happened after payment", async () => {
    const owner = await user();
    const custom = await paidPurchase(owner.id, { packKey: null, amountMinor: 1250 }); // £12.50
    expect(await getReceipt(owner.id, custom.id, { lookUpMissingDetails: false })).toMatchObject({ description: "Wallet top-up", status: { label: "Paid" } });

    const partly = await paidPurchase(owner.id, { amountMinor: 2000, refundedMinor: 500 }); // £20.00, £5.00 back
    expect(await getReceipt(owner.id, partly.id, { lookUpMissingDetails: false })).toMatchObject({
      status: { label: "Partially refunded" },
      afterPayment: ["£5.00 of this payment was refunded to the card that paid it; £15.00 stands."],
    });
    const refunded = await paidPurchase(owner.id, { refundedMinor: 500 });
    expect(await getReceipt(owner.id, refunded.id, { lookUpMissingDetails: false })).toMatchObject({
      status: { label: "Refunded" },
      afterPayment: ["This payment was refunded in full (£5.00) to the card that paid it."],
    });
    const disputed = await paidPurchase(owner.id, { disputeStatus: "open", disputedMinor: 500 });
    expect(await getReceipt(owner.id, disputed.id, { lookUpMissingDetails: false })).toMatchObject({
      status: { label: "Disputed" },
      afterPayment: ["This payment is disputed: £5.00 is on hold until the card issuer decides."],
    });
    const lost = await paidPurchase(owner.id, { disputeStatus: "lost", disputedMinor: 500 });
    expect(await getReceipt(owner.id, lost.id, { lookUpMissingDetails: false })).toMatchObject({
      status: { label: "Dispute lost" },
      afterPayment: ["This payment was disputed; the card issuer returned £5.00 to the card holder."],
    });
    const won = await paidPurchase(owner.id, { disputeStatus: "won", disputedMinor: 500 });
    expect(await getReceipt(owner.id, won.id, { lookUpMissingDetails: false })).toMatchObject({
      status: { label: "Dispute won" },
      afterPayment: ["This payment was disputed; the dispute was closed and the payment stands."],
    });
  });

  it("shows the configured seller, and the VAT inside the amount when a VAT number and rate are set", async () => {
    const owner = await user();
    const purchase = await paidPurchase(owner.id);
    Object.assign(env(), {
      BILLFOLD_BUSINESS_NAME: "Billfold Ltd",
      BILLFOLD_BUSINESS_ADDRESS: "1 High Street|London\\nN1 1AA",
      BILLFOLD_VAT_NUMBER: "GB123456789",
      BILLFOLD_VAT_RATE_BP: 2000, // 20%
    });
    expect(await getReceipt(owner.id, purchase.id, { lookUpMissingDetails: false })).toMatchObject({
      business: { name: "Billfold Ltd", addressLines: ["1 High Street", "London", "N1 1AA"], vatNumber: "GB123456789", vatRateBasisPoints: 2000 },
      vat: { rateBasisPoints: 2000, vatMinor: 83, netMinor: 417 }, // £5.00 = £4.17 + £0.83 VAT
    });
  });

  it("asks Stripe once for the charge of a paid purchase whose details never arrived, and stores them", async () => {
    const owner = await user();
    const paymentIntent = await stripe.paymentIntents.create({ amount: 500, currency: "gbp", payment_method: "pm_card_visa", confirm: true });
    const purchase = await paidPurchase(owner.id, { paymentIntentId: paymentIntent.id, chargeId: null, receiptUrl: null, cardBrand: null, cardLast4: null });
    // The emulated PaymentIntent carries no metadata of ours: the purchase is found by its PaymentIntent id.
    const receipt = await getReceipt(owner.id, purchase.id);
    const chargeId = typeof paymentIntent.latest_charge === "string" ? paymentIntent.latest_charge : null;
    expect(receipt).toMatchObject({ paymentMethod: "Visa ending in 4242", chargeId, stripeReceiptUrl: `${emulator.url}/receipts/payment/${chargeId}` });
    expect(await db().purchase.findUniqueOrThrow({ where: { id: purchase.id } })).toMatchObject({
      chargeId,
      cardBrand: "visa",
      cardLast4: "4242",
      receiptUrl: `${emulator.url}/receipts/payment/${chargeId}`,
    });
  });

  it("still shows the receipt when Stripe cannot say (an unknown PaymentIntent): without the card, stored nothing", async () => {
    const owner = await user();
    const purchase = await paidPurchase(owner.id, { paymentIntentId: `pi_test_${randomUUID()}`, chargeId: null, receiptUrl: null, cardBrand: null, cardLast4: null });
    expect(await getReceipt(owner.id, purchase.id)).toMatchObject({ purchaseId: purchase.id, paymentMethod: null, stripeReceiptUrl: null });
    expect(await db().purchase.findUniqueOrThrow({ where: { id: purchase.id } })).toMatchObject({ receiptUrl: null, cardLast4: null });
  });
});
