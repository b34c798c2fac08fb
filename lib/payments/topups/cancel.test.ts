import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { startEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { db } from "../../core/db";
import { payCheckoutSession, pointStripeAtEmulator, settledDeliveries, startDeliveryForwarder } from "@/test/emulator-deliveries";
import { walletState, webhookRoute } from "@/test/webhook-events";

// Starting and canceling top-ups against the emulator, with its webhooks delivered to the real route:
// the session's URL and deadline are kept for resuming; a cancel expires the session at Stripe before
// the purchase says canceled, and loses to a payment that got there first.

vi.mock("next/server", async (importOriginal) => (await import("@/test/emulator-deliveries")).withQueuedAfter(await importOriginal<object>()));

const forwarder = await startDeliveryForwarder((body, signature) => webhook.post(body, signature));
const WEBHOOK_SECRET = "whsec_test_topup_cancel_0123456789";
const SECRET_KEY = "sk_test_billfold_topup_cancel";
const emulator = await startEmulator({ port: 0, webhookEndpoints: [{ url: forwarder.url, secret: WEBHOOK_SECRET }], retrySpeedup: 1000 });
pointStripeAtEmulator(emulator.url, { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
process.env.APP_URL = "http://wallet.test";

const webhook = await webhookRoute();
const { cancelTopUp, startTopUp } = await import("./index");
const { NotFoundError } = await import("../../core/errors");

const stripe = emulatorStripe(emulator, SECRET_KEY);

afterEach(async () => {
  await fetch(`${emulator.url}/_emulator/chaos`, { method: "POST" });
});

afterAll(async () => {
  await emulator.close();
  await forwarder.close();
});

const PAYMENT_EVENTS = ["checkout.session.completed", "payment_intent.succeeded"];
const settled = () => settledDeliveries(emulator.url, ["succeeded", "failed", "dropped"]);

async function newUser() {
  return db().user.create({ data: { email: `topup-cancel-${randomUUID()}@example.test` } });
}

function purchaseOf(purchaseId: string) {
  return db().purchase.findUniqueOrThrow({ where: { id: purchaseId } });
}

describe("startTopUp", () => {
  it("keeps the session's URL and deadline, and names the purchase in the success and cancel URLs", async () => {
    const user = await newUser();
    const started = await startTopUp(user.id, { packKey: "starter" });
    const session = await stripe.checkout.sessions.retrieve(started.checkoutSessionId);
    expect(session.success_url).toBe(`http://wallet.test/wallet?purchase=${started.purchaseId}&checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    expect(session.cancel_url).toBe(`http://wallet.test/wallet?purchase=${started.purchaseId}&checkout=canceled`);
    expect(await purchaseOf(started.purchaseId)).toMatchObject({
      status: "pending",
      checkoutSessionId: session.id,
      checkoutUrl: session.url,
      checkoutExpiresAt: new Date(session.expires_at * 1000),
    });
    expect(started.url).toBe(session.url);
  });

  it("embedded: answers the client secret of an embedded_page session that returns to the success URL only when it must redirect; the purchase stays payable and cancelable", async () => {
    const user = await newUser();
    const started = await startTopUp(user.id, { amountMinor: 1234 }, { ui: "embedded" }); // £12.34
    const session = await stripe.checkout.sessions.retrieve(started.checkoutSessionId);
    expect(session).toMatchObject({ ui_mode: "embedded_page", redirect_on_completion: "if_required", url: null, success_url: null, cancel_url: null, amount_total: 1234 });
    expect(session.return_url).toBe(`http://wallet.test/wallet?purchase=${started.purchaseId}&checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    expect(started).toMatchObject({ url: null, clientSecret: session.client_secret });
    expect(started.clientSecret).toMatch(new RegExp(`^${session.id}_secret_`));
    expect(await purchaseOf(started.purchaseId)).toMatchObject({ status: "pending", checkoutUrl: `http://wallet.test/wallet?purchase=${started.purchaseId}&checkout=resume` });
    expect(await cancelTopUp(user.id, started.purchaseId)).toMatchObject({ outcome: "canceled", purchase: { status: "canceled" } });
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
  });
});

describe("cancelTopUp", () => {
  it("expires the open session at Stripe and marks the purchase canceled; the expiry event and a second cancel change nothing", async () => {
    const user = await newUser();
    const started = await startTopUp(user.id, { packKey: "standard" });
    const result = await cancelTopUp(user.id, started.purchaseId);
    expect(result.outcome).toBe("canceled");
    expect(result.purchase).toMatchObject({ status: "canceled", checkoutUrl: null });
    expect(await stripe.checkout.sessions.retrieve(started.checkoutSessionId)).toMatchObject({ status: "expired" });

    // checkout.session.expired, from our own expire call, comes back through the webhook.
    const deliveries = await settled();
    expect(deliveries.some((delivery) => delivery.eventType === "checkout.session.expired" && delivery.state === "succeeded")).toBe(true);
    expect(await purchaseOf(started.purchaseId)).toMatchObject({ status: "canceled" });

    expect(await cancelTopUp(user.id, started.purchaseId)).toMatchObject({ outcome: "canceled", purchase: { status: "canceled" } });
    // Nothing at Stripe can take the money now.
    expect(await payCheckoutSession(emulator.url, SECRET_KEY, started.checkoutSessionId, 2000)).toBe(400);
    expect((await walletState(user.id)).balanceMinor).toBe(0);
  });

  it("loses to a payment that completed first: the purchase is not canceled, and the webhooks mark it paid", async () => {
    const user = await newUser();
    const started = await startTopUp(user.id, { packKey: "starter" });
    // Paid in another tab; its events have not reached us when Cancel is pressed (held back here).
    await fetch(`${emulator.url}/_emulator/chaos`, { method: "POST", body: new URLSearchParams({ drop_types: PAYMENT_EVENTS.join(",") }) });
    expect(await payCheckoutSession(emulator.url, SECRET_KEY, started.checkoutSessionId, 500)).toBe(200);
    await settled();

    const result = await cancelTopUp(user.id, started.purchaseId);
    expect(result).toMatchObject({ outcome: "completed", purchase: { status: "pending", canceledAt: null } });
    expect(await stripe.checkout.sessions.retrieve(started.checkoutSessionId)).toMatchObject({ status: "complete", payment_status: "paid" });

    // The held-back events arrive: the payment settles the purchase as usual.
    for (const type of PAYMENT_EVENTS) {
      for (const event of (await stripe.events.list({ type, limit: 100 })).data) {
        await webhook.deliver(event);
      }
    }
    expect(await purchaseOf(started.purchaseId)).toMatchObject({ status: "paid", canceledAt: null });
    expect((await walletState(user.id)).balanceMinor).toBe(500); // £5.00
    // A cancel after the payment has landed has nothing to cancel.
    expect((await cancelTopUp(user.id, started.purchaseId)).outcome).toBe("closed");
  });

  it("refuses anyone else's purchase, and leaves its session open", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const started = await startTopUp(owner.id, { packKey: "starter" });
    await expect(cancelTopUp(stranger.id, started.purchaseId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelTopUp(stranger.id, "no-such-purchase")).rejects.toBeInstanceOf(NotFoundError);
    expect(await stripe.checkout.sessions.retrieve(started.checkoutSessionId)).toMatchObject({ status: "open" });
    expect(await purchaseOf(started.purchaseId)).toMatchObject({ status: "pending" });
  });

  it("a session Stripe expired on its own (its event not here yet) is shown expired, not canceled", async () => {
    const user = await newUser();
    const started = await startTopUp(user.id, { packKey: "starter" });
    // Stripe's clock passed the deadline, and the expiry event is lost on the way.
    await fetch(`${emulator.url}/_emulator/chaos`, { method: "POST", body: new URLSearchParams({ drop_types: "checkout.session.expired" }) });
    const { expires_at: expiresAt } = await stripe.checkout.sessions.retrieve(started.checkoutSessionId);
    const { now } = await (await fetch(`${emulator.url}/_emulator/health`)).json();
    await fetch(`${emulator.url}/_emulator/advance`, { method: "POST", body: new URLSearchParams({ seconds: String(expiresAt - now + 1) }) });
    await settled();
    expect(await purchaseOf(started.purchaseId)).toMatchObject({ status: "pending" });

    const result = await cancelTopUp(user.id, started.purchaseId, new Date(expiresAt * 1000 + 1000));
    expect(result).toMatchObject({ outcome: "closed", purchase: { status: "expired", canceledAt: null, checkoutUrl: null } });
  });

  it("a session expired by the emulator's clock closes the purchase through checkout.session.expired", async () => {
    const user = await newUser();
    const started = await startTopUp(user.id, { packKey: "standard" });
    const { expires_at: expiresAt } = await stripe.checkout.sessions.retrieve(started.checkoutSessionId);
    const { now } = await (await fetch(`${emulator.url}/_emulator/health`)).json();
    await fetch(`${emulator.url}/_emulator/advance`, { method: "POST", body: new URLSearchParams({ seconds: String(expiresAt - now + 1) }) });
    await settled();
    expect(await purchaseOf(started.purchaseId)).toMatchObject({ status: "expired", checkoutUrl: null });
    expect((await cancelTopUp(user.id, started.purchaseId)).outcome).toBe("closed");
  });
});
