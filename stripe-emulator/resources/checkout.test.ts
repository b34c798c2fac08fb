// A payment-mode Checkout Session that is not simply paid: abandoned until its clock runs out, expired
// on request (and refused once it is complete), declined and retried, and failed at 3-D Secure.
import type Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { postForm, startReceiver, startTestEmulator, waitFor, type WebhookReceiver } from "../testing";

const SECRET = "whsec_checkout_lifecycle_secret";
let running: Array<RunningEmulator | WebhookReceiver> = [];

afterEach(async () => {
  await Promise.all(running.map((item) => item.close()));
  running = [];
});

async function setUp() {
  const receiver = await startReceiver();
  const { emulator, stripe } = await startTestEmulator({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }] });
  running.push(emulator, receiver);
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: "gbp", unit_amount: 500, product_data: { name: "Starter credit pack" } }, quantity: 1 }], // £5.00
    success_url: "http://app.local/ok?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.local/canceled",
  });
  const events = (type: string): Stripe.Event[] =>
    receiver.received.filter((hook) => hook.type === type).map((hook) => stripe.webhooks.constructEvent(hook.body, hook.signature, SECRET));
  return { receiver, emulator, stripe, session, events };
}

/** The PaymentIntent a payment_intent.* event carries, narrowed by its type. */
function paymentIntentOf(event: Stripe.Event): Stripe.PaymentIntent {
  if (event.type !== "payment_intent.payment_failed" && event.type !== "payment_intent.succeeded") throw new Error(`${event.type} carries no PaymentIntent`);
  return event.data.object;
}

async function advance(emulatorUrl: string, seconds: number): Promise<{ now: number; expired_sessions: number }> {
  const response = await postForm(`${emulatorUrl}/_emulator/advance`, { seconds: String(seconds) });
  expect(response.status).toBe(200);
  return response.json();
}

describe("checkout sessions that are not simply paid", () => {
  it("an abandoned session expires when the clock passes expires_at, and checkout.session.expired is delivered once", async () => {
    const { emulator, stripe, session, events } = await setUp();
    const { now } = await (await fetch(`${emulator.url}/_emulator/health`)).json();
    expect(session.expires_at - now).toBeGreaterThan(23 * 3600); // Stripe's default: 24 hours

    // A minute short of the deadline nothing happens.
    expect((await advance(emulator.url, session.expires_at - now - 60)).expired_sessions).toBe(0);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open" });

    expect((await advance(emulator.url, 120)).expired_sessions).toBe(1);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "expired", url: null, payment_status: "unpaid" });
    const delivered = await waitFor(() => events("checkout.session.expired")[0]);
    expect(delivered.data.object).toMatchObject({ id: session.id, status: "expired" });
    // The page can no longer be paid.
    const page = await fetch(`${emulator.url}/checkout/${session.id}`);
    expect(await page.text()).toContain("This Checkout Session is expired.");

    await advance(emulator.url, 3600);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events("checkout.session.expired")).toHaveLength(1);
  });

  it("expire: an open session expires at once; a completed one is refused with Stripe's invalid-request error", async () => {
    const { stripe, session, events } = await setUp();
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ id: session.id, status: "expired" });
    await waitFor(() => events("checkout.session.expired")[0]);
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400 });

    const { stripe: other, session: paid } = await setUp();
    const pay = await postForm(`${paid.url}/pay`, { card_number: "4242424242424242" });
    expect(pay.status).toBe(303);
    await expect(other.checkout.sessions.expire(paid.id)).rejects.toMatchObject({ type: "StripeInvalidRequestError" });
    expect(await other.checkout.sessions.retrieve(paid.id)).toMatchObject({ status: "complete", payment_status: "paid" });
  });

  it("a decline then a good card: one PaymentIntent, failed once with card_declined, then succeeded", async () => {
    const { stripe, session, events } = await setUp();
    const declined = await postForm(`${session.url}/pay`, { card_number: "4000000000009995" });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card has insufficient funds.");
    const failed = await waitFor(() => events("payment_intent.payment_failed")[0]);
    const failedIntent = paymentIntentOf(failed);
    expect(failedIntent.last_payment_error).toMatchObject({ code: "card_declined", decline_code: "insufficient_funds" });
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", payment_intent: failedIntent.id });

    expect((await postForm(`${session.url}/pay`, { card_number: "4242424242424242" })).status).toBe(303);
    const succeeded = await waitFor(() => events("payment_intent.succeeded")[0]);
    expect(paymentIntentOf(succeeded).id).toBe(failedIntent.id);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid", payment_intent: failedIntent.id });
    expect(await stripe.paymentIntents.retrieve(failedIntent.id)).toMatchObject({ status: "succeeded", amount_received: 500 });
  });

  it("3-D Secure: failing the challenge fails the PaymentIntent with payment_intent_authentication_failure and leaves the session open", async () => {
    const { stripe, session, events } = await setUp();
    const challenge = await postForm(`${session.url}/pay`, { card_number: "4000002500003155" });
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toContain("3D Secure authentication");
    const { payment_intent: intentId } = await stripe.checkout.sessions.retrieve(session.id);
    expect(await stripe.paymentIntents.retrieve(String(intentId))).toMatchObject({ status: "requires_action" });

    const failedPage = await postForm(`${session.url}/pay`, { authentication_failed: "true" });
    expect(failedPage.status).toBe(402);
    expect(await failedPage.text()).toContain("We are unable to authenticate your payment method.");
    const failed = await waitFor(() => events("payment_intent.payment_failed")[0]);
    expect(failed.data.object).toMatchObject({
      id: intentId,
      status: "requires_payment_method",
      last_payment_error: { code: "payment_intent_authentication_failure", type: "invalid_request_error" },
    });
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", payment_status: "unpaid" });

    // Authenticating on a second try pays the same PaymentIntent.
    expect((await postForm(`${session.url}/pay`, { card_number: "4000002500003155" })).status).toBe(200);
    expect((await postForm(`${session.url}/pay`, { card_number: "4000002500003155", authenticated: "true" })).status).toBe(303);
    expect(await stripe.paymentIntents.retrieve(String(intentId))).toMatchObject({ status: "succeeded" });
  });
});
