// Test fixtures (kept out of shipping code): Stripe-shaped events (after the shapes in Stripe's OpenAPI fixtures and the CLI's
// `stripe trigger` objects) and real SDK signatures. Only tests import this file.
// Next.js puts AsyncLocalStorage on globalThis before anything of its own loads; so must a file that loads the webhook route (see test/next-request.ts).
import "next/dist/server/node-environment-baseline";
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

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** The real Stripe webhook route (app/api/webhooks/stripe/route.ts), and deliveries to it signed the way Stripe signs them. */
export interface WebhookRoute {
  /** The route's POST handler, for tests that call it their own way. */
  readonly POST: (request: Request, context: RouteContext) => Promise<Response>;
  /** The secret deliveries are signed with: the first of STRIPE_WEBHOOK_SECRET's comma-separated secrets. */
  readonly secret: string;
  /** POSTs `body` with this Stripe-Signature header (null: none). */
  post(body: string, signature: string | null, headers?: Record<string, string>): Promise<Response>;
  /** Signs `event` (or an already serialised body) with `secret`, or another secret or timestamp, and POSTs it. */
  deliver(event: object | string, options?: { secret?: string; timestamp?: number }): Promise<Response>;
  /** Delivers `event` and reads the outcome the route answered ("processed", "duplicate", ...), or "status N" when it gave none. */
  outcome(event: object): Promise<string>;
}

/**
 * Loads the webhook route for a test file. With `secret`, sets STRIPE_WEBHOOK_SECRET to it and unsets
 * STRIPE_SECRET_KEY, so the route runs on the events alone and never calls Stripe; without it, the
 * environment is used as it is (a test pointed at the emulator has set both). Call it before importing
 * anything else that reads the environment, which env() reads once.
 */
export async function webhookRoute(options: { secret?: string } = {}): Promise<WebhookRoute> {
  if (options.secret !== undefined) {
    process.env.STRIPE_WEBHOOK_SECRET = options.secret;
    delete process.env.STRIPE_SECRET_KEY;
  }
  const configured = process.env.STRIPE_WEBHOOK_SECRET ?? "";
  const secret = configured.split(",")[0] ?? configured;
  const { POST } = await import("@/app/api/webhooks/stripe/route");
  const post = (body: string, signature: string | null, headers: Record<string, string> = {}) => POST(webhookRequest(body, signature, headers), { params: Promise.resolve({}) });
  const deliver = (event: object | string, signing: { secret?: string; timestamp?: number } = {}) => {
    const body = typeof event === "string" ? event : JSON.stringify(event);
    return post(body, signatureFor(body, signing.secret ?? secret, signing.timestamp));
  };
  return {
    POST,
    secret,
    post,
    deliver,
    async outcome(event) {
      const response = await deliver(event);
      const answer: { outcome?: string } = await response.json();
      return answer.outcome ?? `status ${response.status}`;
    },
  };
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
    cancel_url: "http://localhost:3000/wallet?checkout=canceled",
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
