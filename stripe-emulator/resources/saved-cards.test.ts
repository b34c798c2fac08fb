// Saving a card with a setup-mode Checkout Session and charging it off-session, through the real SDK, with the
// signed deliveries checked: the test cards decide success, authentication_required and declines as on Stripe.
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { expectStripeError, postForm, startReceiver, startTestEmulator, type WebhookReceiver, waitFor } from "../testing";

const SECRET = "whsec_saved_cards_test_secret";
let emulator: RunningEmulator;
let stripe: Stripe;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  ({ emulator, stripe } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }] }));
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

/** Every delivery so far, verified with the SDK against the endpoint secret. */
function verifiedEvents(): Stripe.Event[] {
  return receiver.received.map((hook) => stripe.webhooks.constructEvent(hook.body, hook.signature, SECRET));
}

/** The types delivered for objects of one customer (deliveries of other tests' objects, and `customer.*`, are left out). */
async function deliveredTypesFor(customerId: string, count: number): Promise<string[]> {
  const mine = () =>
    verifiedEvents().filter((event) => {
      const object = event.data.object;
      return "customer" in object && object.customer === customerId;
    });
  await waitFor(() => mine().length >= count);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return mine().map((event) => event.type);
}

async function setupSession(customerId: string) {
  return stripe.checkout.sessions.create({
    mode: "setup",
    customer: customerId,
    currency: "usd",
    allowed_payment_method_types: ["card"],
    success_url: "http://app.local/cards?session={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.local/cards?canceled=1",
    metadata: { billfoldUserId: "user_1", purpose: "auto_recharge_card" },
    setup_intent_data: { metadata: { billfoldUserId: "user_1" } },
  });
}

/** Saves a card on the hosted page (through the 3-D Secure step when the card asks for it); the saved PaymentMethod. */
async function saveCard(customerId: string, cardNumber: string): Promise<Stripe.PaymentMethod> {
  const session = await setupSession(customerId);
  let response = await postForm(`${session.url}/pay`, { card_number: cardNumber });
  if (response.status === 200) response = await postForm(`${session.url}/pay`, { card_number: cardNumber, authenticated: "true" });
  expect(response.status).toBe(303);
  const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent.payment_method"] });
  const setupIntent = completed.setup_intent;
  if (typeof setupIntent !== "object" || setupIntent === null) throw new Error("setup_intent not expanded");
  const paymentMethod = setupIntent.payment_method;
  if (typeof paymentMethod !== "object" || paymentMethod === null) throw new Error("payment_method not expanded");
  // Deliveries go out in emit order: once the session's completion arrived, the setup's events all have.
  await waitFor(() => verifiedEvents().some((event) => event.type === "checkout.session.completed" && event.data.object.id === session.id));
  return paymentMethod;
}

function chargeOffSession(customerId: string, paymentMethodId: string, idempotencyKey: string, amount = 2000) {
  return stripe.paymentIntents.create(
    {
      amount, // $20.00
      currency: "usd",
      customer: customerId,
      payment_method: paymentMethodId,
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
      off_session: true,
      confirm: true,
      description: "Auto-recharge",
      metadata: { billfold_purchase_id: idempotencyKey },
    },
    { idempotencyKey },
  );
}

describe("setup-mode Checkout", () => {
  it("creates the session with its SetupIntent, saves a 4242 card on the hosted page and emits the setup events, signed", async () => {
    const customer = await stripe.customers.create({ email: "saver@example.com" });
    const session = await setupSession(customer.id);
    expect(session.id).toMatch(/^cs_test_c/);
    expect(session).toMatchObject({ mode: "setup", status: "open", payment_status: "no_payment_required", currency: "usd", amount_total: null, customer: customer.id, allowed_payment_method_types: ["card"] });
    const created = await stripe.setupIntents.retrieve(String(session.setup_intent));
    expect(created).toMatchObject({ object: "setup_intent", status: "requires_payment_method", usage: "off_session", customer: customer.id, payment_method: null, metadata: { billfoldUserId: "user_1" } });
    expect(created.id).toMatch(/^seti_/);

    const page = await (await fetch(session.url ?? "")).text();
    expect(page).toContain("Save card");
    expect(page).not.toContain("data-testid=\"total\"");
    const saved = await postForm(`${session.url}/pay`, { card_number: "4242 4242 4242 4242" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`http://app.local/cards?session=${session.id}`);

    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent.payment_method"] });
    expect(completed).toMatchObject({ status: "complete", payment_status: "no_payment_required", metadata: { purpose: "auto_recharge_card" } });
    const setupIntent = completed.setup_intent;
    if (typeof setupIntent !== "object" || setupIntent === null) throw new Error("setup_intent not expanded");
    expect(setupIntent.status).toBe("succeeded");
    const paymentMethod = setupIntent.payment_method;
    if (typeof paymentMethod !== "object" || paymentMethod === null) throw new Error("payment_method not expanded");
    expect(paymentMethod).toMatchObject({ type: "card", customer: customer.id, card: { brand: "visa", last4: "4242" } });
    expect(paymentMethod.card?.exp_year).toBeGreaterThan(new Date().getUTCFullYear());
    expect((await stripe.paymentMethods.retrieve(paymentMethod.id)).customer).toBe(customer.id);
    expect((await stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id)).toEqual([paymentMethod.id]);
    expect((await stripe.setupIntents.list({ customer: customer.id })).data.map((si) => si.id)).toEqual([setupIntent.id]);

    expect(await deliveredTypesFor(customer.id, 4)).toEqual([
      "setup_intent.created",
      "payment_method.attached",
      "setup_intent.succeeded",
      "checkout.session.completed",
    ]);
  });

  it("asks for 3-D Secure with 4000 0025 0000 3155, and failing it fails the setup but leaves the session open", async () => {
    const customer = await stripe.customers.create({ email: "3ds-setup@example.com" });
    const session = await setupSession(customer.id);
    const challenge = await postForm(`${session.url}/pay`, { card_number: "4000002500003155" });
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toContain("Complete authentication");
    expect((await stripe.setupIntents.retrieve(String(session.setup_intent))).status).toBe("requires_action");

    const failed = await postForm(`${session.url}/pay`, { authentication_failed: "true" });
    expect(failed.status).toBe(402);
    const afterFailure = await stripe.setupIntents.retrieve(String(session.setup_intent));
    expect(afterFailure.status).toBe("requires_payment_method");
    expect(afterFailure.last_setup_error?.code).toBe("setup_intent_authentication_failure");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);

    expect((await postForm(`${session.url}/pay`, { card_number: "4000002500003155", authenticated: "true" })).status).toBe(303);
    expect((await stripe.setupIntents.retrieve(String(session.setup_intent))).status).toBe("succeeded");
    expect(await deliveredTypesFor(customer.id, 6)).toEqual([
      "setup_intent.created",
      "setup_intent.requires_action",
      "setup_intent.setup_failed",
      "payment_method.attached",
      "setup_intent.succeeded",
      "checkout.session.completed",
    ]);
  });

  it("refuses 4000 0000 0000 0002 with the decline message and a failed setup", async () => {
    const customer = await stripe.customers.create({ email: "declined-setup@example.com" });
    const session = await setupSession(customer.id);
    const declined = await postForm(`${session.url}/pay`, { card_number: "4000000000000002" });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    const setupIntent = await stripe.setupIntents.retrieve(String(session.setup_intent));
    expect(setupIntent).toMatchObject({ status: "requires_payment_method", last_setup_error: { code: "card_declined", decline_code: "generic_decline", type: "card_error" } });
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });

  it("expiring the session cancels its SetupIntent", async () => {
    const customer = await stripe.customers.create({ email: "expire-setup@example.com" });
    const session = await setupSession(customer.id);
    expect((await stripe.checkout.sessions.expire(session.id)).status).toBe("expired");
    expect(await stripe.setupIntents.retrieve(String(session.setup_intent))).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
    expect(await deliveredTypesFor(customer.id, 3)).toEqual(["setup_intent.created", "checkout.session.expired", "setup_intent.canceled"]);
  });

  it("needs a currency in setup mode unless allowed_payment_method_types is given, as Stripe's dynamic payment methods do", async () => {
    const error = await expectStripeError(stripe.checkout.sessions.create({ mode: "setup", success_url: "http://app.local/ok" }));
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe("currency");
    const cardsOnly = await stripe.checkout.sessions.create({ mode: "setup", allowed_payment_method_types: ["card"], success_url: "http://app.local/ok" });
    expect(cardsOnly.currency).toBeNull();
  });
});

describe("off-session PaymentIntents on a saved card", () => {
  it("charges a saved 4242 at once: succeeded, a charge with the card and the metadata, the usual events; refundable", async () => {
    const customer = await stripe.customers.create({ email: "recharge@example.com" });
    const card = await saveCard(customer.id, "4242424242424242");
    receiver.received.length = 0;
    const paymentIntent = await chargeOffSession(customer.id, card.id, "recharge-4242-1");
    expect(paymentIntent).toMatchObject({ status: "succeeded", amount_received: 2000, customer: customer.id, payment_method: card.id, description: "Auto-recharge", metadata: { billfold_purchase_id: "recharge-4242-1" } });
    const charge = await stripe.charges.retrieve(String(paymentIntent.latest_charge));
    expect(charge.id).toMatch(/^ch_/);
    expect(charge).toMatchObject({ paid: true, amount: 2000, payment_intent: paymentIntent.id, metadata: { billfold_purchase_id: "recharge-4242-1" } });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: "visa", last4: "4242" });
    expect(charge.receipt_url).toBe(`${emulator.url}/receipts/payment/${charge.id}`);
    expect(await deliveredTypesFor(customer.id, 3)).toEqual(["payment_intent.created", "payment_intent.succeeded", "charge.succeeded"]);

    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 500 }); // $5.00
    expect(refund.status).toBe("succeeded");
    expect((await stripe.charges.retrieve(charge.id)).amount_refunded).toBe(500);
  });

  it("replays the same PaymentIntent for the same idempotency key and refuses the key with other params", async () => {
    const customer = await stripe.customers.create({ email: "idempotent@example.com" });
    const card = await saveCard(customer.id, "4242424242424242");
    const first = await chargeOffSession(customer.id, card.id, "recharge-idem-1");
    const replay = await chargeOffSession(customer.id, card.id, "recharge-idem-1");
    expect(replay.id).toBe(first.id);
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
    const reused = await expectStripeError(chargeOffSession(customer.id, card.id, "recharge-idem-1", 3000));
    expect(reused.type).toBe("StripeIdempotencyError");
    expect(reused.statusCode).toBe(400);
  });

  it("succeeds with 4000 0025 0000 3155 once it was set up, and fails with authentication_required when it was not", async () => {
    const customer = await stripe.customers.create({ email: "3155@example.com" });
    const card = await saveCard(customer.id, "4000 0025 0000 3155");
    expect((await chargeOffSession(customer.id, card.id, "recharge-3155-setup")).status).toBe("succeeded");

    const notSetUp = await stripe.paymentMethods.attach("pm_card_authenticationRequiredOnSetup", { customer: customer.id });
    expect(notSetUp.card?.last4).toBe("3155");
    const error = await expectStripeError(chargeOffSession(customer.id, notSetUp.id, "recharge-3155-bare"));
    expect(error.code).toBe("authentication_required");
  });

  it("declines 4000 0027 6000 3184 off-session with authentication_required even after setup, with the PaymentIntent on the error", async () => {
    const customer = await stripe.customers.create({ email: "3184@example.com" });
    const card = await saveCard(customer.id, "4000002760003184");
    receiver.received.length = 0;
    const error = await expectStripeError(chargeOffSession(customer.id, card.id, "recharge-3184"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe("authentication_required");
    expect(error.decline_code).toBe("authentication_required");
    expect(error.message).toBe("Your card was declined. This transaction requires authentication.");
    const paymentIntent = error.payment_intent;
    expect(paymentIntent).toMatchObject({ status: "requires_payment_method", metadata: { billfold_purchase_id: "recharge-3184" } });
    expect(paymentIntent?.last_payment_error).toMatchObject({ type: "card_error", code: "authentication_required", decline_code: "authentication_required" });
    expect(error.raw).toMatchObject({ payment_intent: { id: paymentIntent?.id } });
    expect((await stripe.paymentIntents.retrieve(paymentIntent?.id ?? "")).status).toBe("requires_payment_method");
    expect(await deliveredTypesFor(customer.id, 3)).toEqual(["payment_intent.created", "charge.failed", "payment_intent.payment_failed"]);

    // A retry with the same key answers the same 402 and the same PaymentIntent, and charges nothing new.
    const replayed = await expectStripeError(chargeOffSession(customer.id, card.id, "recharge-3184"));
    expect(replayed.payment_intent?.id).toBe(paymentIntent?.id);
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it.each([
    ["4000000000000341", "generic_decline", "Your card was declined."],
    ["4000000000009995", "insufficient_funds", "Your card has insufficient funds."],
  ])("saves %s but declines its off-session charge (%s)", async (cardNumber, declineCode, message) => {
    const customer = await stripe.customers.create({ email: `decline-${cardNumber}@example.com` });
    const card = await saveCard(customer.id, cardNumber);
    receiver.received.length = 0;
    const error = await expectStripeError(chargeOffSession(customer.id, card.id, `recharge-${cardNumber}`));
    expect(error.type).toBe("StripeCardError");
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe("card_declined");
    expect(error.decline_code).toBe(declineCode);
    expect(error.message).toBe(message);
    expect(error.payment_intent?.status).toBe("requires_payment_method");
    const charge = await stripe.charges.retrieve(String(error.payment_intent?.latest_charge));
    expect(charge).toMatchObject({ status: "failed", failure_code: "card_declined", outcome: { reason: declineCode } });
    expect(await deliveredTypesFor(customer.id, 3)).toEqual(["payment_intent.created", "charge.failed", "payment_intent.payment_failed"]);
  });

  it("detaches a saved card; detaching it again is refused", async () => {
    const customer = await stripe.customers.create({ email: "detach@example.com" });
    const card = await saveCard(customer.id, "4242424242424242");
    expect((await stripe.paymentMethods.detach(card.id)).customer).toBeNull();
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    const again = await expectStripeError(stripe.paymentMethods.detach(card.id));
    expect(again.statusCode).toBe(400);
  });
});
