// Test fixtures (kept out of shipping code): Stripe-shaped events (after the shapes in Stripe's OpenAPI fixtures and the CLI's
// `stripe trigger` objects) and real SDK signatures. Only tests import this file.
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import type { Purchase } from "@/lib/generated/prisma/client";
import { db } from "@/lib/core/db";

const API_VERSION = "2026-10-28.endive";
const now = () => Math.floor(Date.now() / 1000);
const fakeId = (prefix: string) => `${prefix}_test_${randomUUID().replaceAll("-", "").slice(0, 24)}`;

export type JsonObject = { [key: string]: unknown };

export function stripeEvent(type: string, object: object, id = fakeId("evt")): JsonObject {
  return {
    id,
    object: "event",
    api_version: API_VERSION,
    created: now(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** A Stripe-Signature header for the body, from the SDK's own test helper. */
export function signatureFor(body: string, secret: string, timestamp = now()): string {
  return Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
}

export function webhookRequest(body: string, signature: string | null, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/webhooks/stripe", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}), ...headers },
  });
}

export interface TestPurchase {
  purchase: Purchase;
  userId: string;
  checkoutSessionId: string;
  paymentIntentId: string;
  chargeId: string;
}

/** A user and a pending top-up with its Checkout Session id, as startTopUp leaves them. */
export async function createPendingPurchase(amountMinor: number, currency = "GBP"): Promise<TestPurchase> {
  const user = await db().user.create({ data: { email: `webhook-${randomUUID()}@example.test` } });
  const checkoutSessionId = fakeId("cs");
  const purchase = await db().purchase.create({
    data: { userId: user.id, packKey: "starter", amountMinor, currency, checkoutSessionId },
  });
  return { purchase, userId: user.id, checkoutSessionId, paymentIntentId: fakeId("pi"), chargeId: fakeId("ch") };
}

function metadataOf(p: TestPurchase) {
  return { billfoldUserId: p.userId, billfoldPurchaseId: p.purchase.id, purpose: "topup", packKey: p.purchase.packKey ?? "" };
}

export function checkoutSession(p: TestPurchase, overrides: JsonObject = {}): JsonObject {
  return {
    id: p.checkoutSessionId,
    object: "checkout.session",
    amount_subtotal: p.purchase.amountMinor,
    amount_total: p.purchase.amountMinor,
    cancel_url: "http://localhost:3000/wallet?checkout=cancelled",
    client_reference_id: p.userId,
    created: now(),
    currency: p.purchase.currency.toLowerCase(),
    customer: fakeId("cus"),
    expires_at: now() + 86_400,
    livemode: false,
    metadata: metadataOf(p),
    mode: "payment",
    payment_intent: p.paymentIntentId,
    payment_method_types: ["card"],
    payment_status: "paid",
    status: "complete",
    success_url: "http://localhost:3000/wallet?checkout=success&session_id={CHECKOUT_SESSION_ID}",
    url: null,
    ...overrides,
  };
}

export function paymentIntent(p: TestPurchase, overrides: JsonObject = {}): JsonObject {
  return {
    id: p.paymentIntentId,
    object: "payment_intent",
    amount: p.purchase.amountMinor,
    amount_capturable: 0,
    amount_received: p.purchase.amountMinor,
    capture_method: "automatic",
    created: now(),
    currency: p.purchase.currency.toLowerCase(),
    customer: null,
    last_payment_error: null,
    latest_charge: p.chargeId,
    livemode: false,
    metadata: metadataOf(p),
    payment_method_types: ["card"],
    status: "succeeded",
    ...overrides,
  };
}

export function refund(p: TestPurchase, amountMinor: number, overrides: JsonObject = {}): JsonObject {
  return {
    id: fakeId("re"),
    object: "refund",
    amount: amountMinor,
    balance_transaction: fakeId("txn"),
    charge: p.chargeId,
    created: now(),
    currency: p.purchase.currency.toLowerCase(),
    metadata: {},
    payment_intent: p.paymentIntentId,
    reason: null,
    status: "succeeded",
    ...overrides,
  };
}

/** A charge as `charge.refunded` carries it; `refunds` is the embedded list, or omitted as in this API version by default. */
export function refundedCharge(p: TestPurchase, refunds: JsonObject[] | undefined): JsonObject {
  const amountRefunded = (refunds ?? []).reduce((sum, r) => sum + (typeof r.amount === "number" ? r.amount : 0), 0);
  return {
    id: p.chargeId,
    object: "charge",
    amount: p.purchase.amountMinor,
    amount_captured: p.purchase.amountMinor,
    amount_refunded: amountRefunded,
    captured: true,
    created: now(),
    currency: p.purchase.currency.toLowerCase(),
    disputed: false,
    livemode: false,
    // Stripe copies the PaymentIntent's metadata (ours, from the session) onto its charge.
    metadata: metadataOf(p),
    paid: true,
    payment_intent: p.paymentIntentId,
    refunded: amountRefunded === p.purchase.amountMinor,
    status: "succeeded",
    ...(refunds ? { refunds: { object: "list", data: refunds, has_more: false, url: `/v1/charges/${p.chargeId}/refunds` } } : {}),
  };
}

export function dispute(p: TestPurchase, status: string, overrides: JsonObject = {}): JsonObject {
  return {
    id: `dp_test_${p.chargeId.slice(-20)}`,
    object: "dispute",
    amount: p.purchase.amountMinor,
    balance_transactions: [],
    charge: p.chargeId,
    created: now(),
    currency: p.purchase.currency.toLowerCase(),
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: p.paymentIntentId,
    reason: "fraudulent",
    status,
    ...overrides,
  };
}

/** The wallet with its entries in the order they were written (without ORDER BY, Postgres returns heap order, which free space reuse can shuffle). */
export async function walletState(userId: string, currency = "GBP") {
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency } }, include: { entries: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } } });
  return {
    balanceMinor: wallet?.balanceMinor ?? 0,
    entries: wallet?.entries ?? [],
    sumOfEntriesMinor: (wallet?.entries ?? []).reduce((sum, entry) => sum + entry.amountMinor, 0),
  };
}
