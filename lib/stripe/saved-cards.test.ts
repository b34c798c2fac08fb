import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe, postForm } from "@billfold/stripe-emulator/testing";
import { pointStripeAtEmulator } from "@/test/emulator-deliveries";

// Saving a card with setup-mode Checkout and charging it off-session, through lib/stripe against the emulator:
// the hosted page is driven as a browser would post it, and the test cards decide each outcome.

const SECRET_KEY = "sk_test_billfold_saved_cards";
const emulator = await startEmulator({ port: 0 });
pointStripeAtEmulator(emulator.url, { secretKey: SECRET_KEY });

const { chargeSavedCard, createCardSetupSession, retrieveSetupSession } = await import("./saved-cards");

const stripe = emulatorStripe(emulator, SECRET_KEY);

afterAll(async () => {
  await emulator.close();
});

let sequence = 0;
function uniqueKey(label: string): string {
  sequence += 1;
  return `${label}-${Date.now()}-${sequence}`;
}

function startSetup(customerId: string, key = uniqueKey("card-setup")) {
  return createCardSetupSession({
    customerId,
    currency: "EUR",
    page: { ui: "hosted", successUrl: "http://wallet.test/wallet?card=saved&session_id={CHECKOUT_SESSION_ID}", cancelUrl: "http://wallet.test/wallet?card=canceled" },
    metadata: { billfoldUserId: "user_42", purpose: "auto_recharge_card" },
    idempotencyKey: key,
  });
}

/** Saves a card on the hosted page, completing 3-D Secure when the card asks for it; the saved card's id. */
async function saveCard(cardNumber: string): Promise<{ customerId: string; paymentMethodId: string }> {
  const customer = await stripe.customers.create({ email: `saved-${cardNumber}-${sequence}@example.test` });
  const session = await startSetup(customer.id);
  let response = await postForm(`${session.url}/pay`, { card_number: cardNumber });
  if (response.status === 200) response = await postForm(`${session.url}/pay`, { card_number: cardNumber, authenticated: "true" });
  expect(response.status).toBe(303);
  const result = await retrieveSetupSession(session.sessionId);
  if (!result.paymentMethod) throw new Error(`no card saved for ${cardNumber}`);
  return { customerId: customer.id, paymentMethodId: result.paymentMethod.id };
}

function recharge(card: { customerId: string; paymentMethodId: string }, idempotencyKey: string, amountMinor = 2000) {
  return chargeSavedCard({
    ...card,
    amountMinor, // €20.00
    currency: "EUR",
    description: "Billfold auto-recharge",
    metadata: { billfold_purchase_id: idempotencyKey, purpose: "auto_recharge" },
    idempotencyKey,
  });
}

describe("createCardSetupSession", () => {
  it("opens a setup-mode session for the customer with the metadata on it and its SetupIntent; the same key gives the same session", async () => {
    const customer = await stripe.customers.create({ email: "setup-session@example.test" });
    const key = uniqueKey("card-setup");
    const before = Math.floor(Date.now() / 1000);
    const created = await startSetup(customer.id, key);
    expect(created.url).toBe(`${emulator.url}/checkout/${created.sessionId}`);
    expect(created.expiresAt.getTime() / 1000).toBeGreaterThanOrEqual(before + 24 * 3600 - 5);
    const session = await stripe.checkout.sessions.retrieve(created.sessionId, { expand: ["setup_intent"] });
    expect(session).toMatchObject({ mode: "setup", customer: customer.id, currency: "eur", allowed_payment_method_types: ["card"], metadata: { billfoldUserId: "user_42", purpose: "auto_recharge_card" } });
    expect(session.setup_intent).toMatchObject({ usage: "off_session", metadata: { billfoldUserId: "user_42" } });
    expect((await startSetup(customer.id, key)).sessionId).toBe(created.sessionId);
  });

  it("embedded: an embedded_page setup session with a client secret and no URL; the same key on the other page is another session", async () => {
    const customer = await stripe.customers.create({ email: "setup-embedded@example.test" });
    const key = uniqueKey("card-setup");
    const hosted = await startSetup(customer.id, key);
    const page = { ui: "embedded" as const, returnUrl: "http://wallet.test/api/wallet/auto-recharge/card/return?session_id={CHECKOUT_SESSION_ID}" };
    const embedded = await createCardSetupSession({ customerId: customer.id, currency: "EUR", page, metadata: { purpose: "auto_recharge_card" }, idempotencyKey: key });
    expect(embedded).toMatchObject({ ui: "embedded", url: null, clientSecret: expect.stringMatching(new RegExp(`^${embedded.sessionId}_secret_`)) });
    expect(embedded.sessionId).not.toBe(hosted.sessionId);
    expect(await stripe.checkout.sessions.retrieve(embedded.sessionId)).toMatchObject({ mode: "setup", ui_mode: "embedded_page", redirect_on_completion: "if_required", return_url: page.returnUrl, url: null });
  });
});

describe("retrieveSetupSession", () => {
  it("has no card while the session is open, and the saved card (brand, last four, expiry) once it is complete", async () => {
    const customer = await stripe.customers.create({ email: "retrieve-setup@example.test" });
    const session = await startSetup(customer.id);
    const open = await retrieveSetupSession(session.sessionId);
    expect(open).toMatchObject({ sessionId: session.sessionId, status: "open", setupIntentStatus: "requires_payment_method", paymentMethod: null, customerId: customer.id });
    expect(open.setupIntentId).toMatch(/^seti_/);

    expect((await postForm(`${session.url}/pay`, { card_number: "5555 5555 5555 4444" })).status).toBe(303);
    const complete = await retrieveSetupSession(session.sessionId);
    expect(complete).toMatchObject({
      status: "complete",
      setupIntentId: open.setupIntentId,
      setupIntentStatus: "succeeded",
      customerId: customer.id,
      metadata: { billfoldUserId: "user_42", purpose: "auto_recharge_card" },
      paymentMethod: { brand: "mastercard", last4: "4444" },
    });
    expect(complete.paymentMethod?.id).toMatch(/^pm_/);
    expect(complete.paymentMethod?.expYear).toBeGreaterThan(new Date().getUTCFullYear());
    expect((await stripe.paymentMethods.retrieve(complete.paymentMethod?.id ?? "")).customer).toBe(customer.id);
  });

  it("has no card while 3-D Secure is pending", async () => {
    const customer = await stripe.customers.create({ email: "pending-3ds@example.test" });
    const session = await startSetup(customer.id);
    expect((await postForm(`${session.url}/pay`, { card_number: "4000002760003184" })).status).toBe(200);
    expect(await retrieveSetupSession(session.sessionId)).toMatchObject({ status: "open", setupIntentStatus: "requires_action", paymentMethod: null });
  });
});

describe("chargeSavedCard", () => {
  it("charges a saved 4242 at once, with the metadata on the charge, and a retry with the same key charges nothing more", async () => {
    const card = await saveCard("4242424242424242");
    const key = uniqueKey("recharge");
    const charged = await recharge(card, key);
    if (charged.outcome !== "succeeded") throw new Error(`expected success, got ${JSON.stringify(charged)}`);
    expect(charged.paymentIntentId).toMatch(/^pi_/);
    expect(charged.chargeId).toMatch(/^ch_/);
    const charge = await stripe.charges.retrieve(charged.chargeId ?? "");
    expect(charge).toMatchObject({ amount: 2000, currency: "eur", paid: true, customer: card.customerId, metadata: { billfold_purchase_id: key, purpose: "auto_recharge" } });
    expect(await recharge(card, key)).toEqual(charged);
    expect((await stripe.charges.list({ customer: card.customerId })).data).toHaveLength(1);
  });

  it("charges 4000 0025 0000 3155 off-session once it was set up with authentication", async () => {
    const charged = await recharge(await saveCard("4000002500003155"), uniqueKey("recharge"));
    expect(charged.outcome).toBe("succeeded");
  });

  it("answers requires_action, with the PaymentIntent, for 4000 0027 6000 3184, which always asks for authentication", async () => {
    const card = await saveCard("4000002760003184");
    const charged = await recharge(card, uniqueKey("recharge"));
    expect(charged).toMatchObject({
      outcome: "requires_action",
      code: "authentication_required",
      declineCode: "authentication_required",
      message: "Your card was declined. This transaction requires authentication.",
    });
    const paymentIntentId = "paymentIntentId" in charged ? charged.paymentIntentId : null;
    expect((await stripe.paymentIntents.retrieve(paymentIntentId ?? "")).status).toBe("requires_payment_method");
  });

  it.each([
    ["4000000000000341", "generic_decline", "Your card was declined."],
    ["4000000000009995", "insufficient_funds", "Your card has insufficient funds."],
  ])("answers declined for %s (%s)", async (cardNumber, declineCode, message) => {
    const charged = await recharge(await saveCard(cardNumber), uniqueKey("recharge"));
    expect(charged).toMatchObject({ outcome: "declined", code: "card_declined", declineCode, message });
    expect("paymentIntentId" in charged && charged.paymentIntentId).toMatch(/^pi_/);
  });

  it("answers declined, with no PaymentIntent, for a payment method Stripe does not know", async () => {
    const customer = await stripe.customers.create({ email: "missing-card@example.test" });
    const charged = await recharge({ customerId: customer.id, paymentMethodId: "pm_gone_for_good" }, uniqueKey("recharge"));
    expect(charged).toMatchObject({ outcome: "declined", paymentIntentId: null, code: "resource_missing", declineCode: null });
  });

  it("throws what is not a card's answer (here an idempotency key reused for another amount), for the caller to retry", async () => {
    const card = await saveCard("4242424242424242");
    const key = uniqueKey("recharge");
    await recharge(card, key, 2000); // €20.00
    await expect(recharge(card, key, 3000)).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError); // €30.00
  });
});
