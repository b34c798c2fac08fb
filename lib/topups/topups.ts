import type { Purchase } from "../generated/prisma/client";
import { db, type Tx } from "../db";
import { credit } from "../ledger";
import { findCreditPack } from "../billing/catalog";
import { appUrl, env } from "../env";
import { NotFoundError, ValidationError } from "../errors";
import { formatMoney } from "../money";
import { createCustomer, createTopUpCheckoutSession } from "../stripe";

export type TopUpRequest = { packKey: string } | { amountMinor: number };

export interface StartedTopUp {
  purchaseId: string;
  checkoutSessionId: string;
  url: string;
}

/** The amount and label of a top-up, from the server's pack table or the configured custom range: never from a client price. */
export function resolveTopUp(request: TopUpRequest): { packKey: string | null; amountMinor: number; currency: string; label: string } {
  const currency = env().BILLFOLD_CURRENCY;
  if ("packKey" in request) {
    const pack = findCreditPack(request.packKey);
    if (!pack || pack.currency !== currency) throw new ValidationError(`There is no credit pack called "${request.packKey}".`);
    return { packKey: pack.key, amountMinor: pack.amountMinor, currency, label: `${pack.name} credit pack` };
  }
  const { TOPUP_MIN_MINOR: min, TOPUP_MAX_MINOR: max } = env();
  if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor < min || request.amountMinor > max) {
    throw new ValidationError(`Choose an amount between ${formatMoney(min, currency)} and ${formatMoney(max, currency)}.`);
  }
  return { packKey: null, amountMinor: request.amountMinor, currency, label: `${formatMoney(request.amountMinor, currency)} wallet top-up` };
}

/** The user's Stripe customer id, created on first use. Concurrent first uses converge on one customer. */
export async function ensureStripeCustomer(userId: string): Promise<string> {
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError("User not found.");
  if (user.stripeCustomerId) return user.stripeCustomerId;
  // The idempotency key is per user, so a race between two first uses gets the same customer back from Stripe.
  const customerId = await createCustomer({ userId: user.id, email: user.email, name: user.name });
  await db().user.updateMany({ where: { id: user.id, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
  return customerId;
}

/** Records a pending purchase and opens a Stripe Checkout Session for it. */
export async function startTopUp(userId: string, request: TopUpRequest): Promise<StartedTopUp> {
  const topUp = resolveTopUp(request);
  const customerId = await ensureStripeCustomer(userId);
  const purchase = await db().purchase.create({
    data: { userId, packKey: topUp.packKey, amountMinor: topUp.amountMinor, currency: topUp.currency },
  });
  const base = appUrl();
  const session = await createTopUpCheckoutSession({
    purchaseId: purchase.id,
    userId,
    customerId,
    packKey: topUp.packKey,
    productName: topUp.label,
    amountMinor: topUp.amountMinor,
    currency: topUp.currency,
    // Stripe substitutes {CHECKOUT_SESSION_ID}; the braces must reach it unencoded.
    successUrl: `${base}/wallet?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${base}/wallet?checkout=cancelled&purchase=${purchase.id}`,
  });
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  await db().purchase.update({ where: { id: purchase.id }, data: { checkoutSessionId: session.id } });
  return { purchaseId: purchase.id, checkoutSessionId: session.id, url: session.url };
}

export interface PaymentReference {
  purchaseId?: string | null;
  checkoutSessionId?: string | null;
  paymentIntentId?: string | null;
  chargeId?: string | null;
}

/** Finds the purchase a Stripe object is about, by our metadata first, then by Stripe ids. */
export async function findPurchase(tx: Tx, ref: PaymentReference): Promise<Purchase | null> {
  if (ref.purchaseId) {
    const byId = await tx.purchase.findUnique({ where: { id: ref.purchaseId } });
    if (byId) return byId;
  }
  if (ref.checkoutSessionId) {
    const bySession = await tx.purchase.findUnique({ where: { checkoutSessionId: ref.checkoutSessionId } });
    if (bySession) return bySession;
  }
  if (ref.paymentIntentId) {
    const byPaymentIntent = await tx.purchase.findUnique({ where: { paymentIntentId: ref.paymentIntentId } });
    if (byPaymentIntent) return byPaymentIntent;
  }
  if (ref.chargeId) return tx.purchase.findUnique({ where: { chargeId: ref.chargeId } });
  return null;
}

/**
 * The ledger key of a top-up: its Checkout Session id, whichever event reports the payment.
 * A purchase whose session id is not saved yet (a payment event racing startTopUp) fails here and is
 * retried by the sweeper, rather than credited under a second key.
 */
export function topUpIdempotencyKey(purchase: Pick<Purchase, "id" | "checkoutSessionId">): string {
  if (!purchase.checkoutSessionId) throw new Error(`Purchase ${purchase.id} has no checkout session yet; retry later`);
  return `topup:${purchase.checkoutSessionId}`;
}

/** Ledger currencies are upper-case ISO codes; Stripe's are lower-case. A mismatch is a bug, not a conversion. */
export function assertPurchaseCurrency(purchase: Purchase, stripeCurrency: string, stripeObjectId: string): void {
  if (stripeCurrency.toUpperCase() !== purchase.currency) {
    throw new Error(`${stripeObjectId} is in ${stripeCurrency}, but purchase ${purchase.id} is in ${purchase.currency}`);
  }
}

/**
 * Credits a paid purchase exactly once and marks it paid. Safe to call from any of
 * checkout.session.completed, checkout.session.async_payment_succeeded and payment_intent.succeeded.
 */
export async function settlePaidPurchase(
  tx: Tx,
  purchase: Purchase,
  payment: { paymentIntentId: string | null; chargeId?: string | null; amountMinor: number; currency: string },
) {
  assertPurchaseCurrency(purchase, payment.currency, payment.paymentIntentId ?? purchase.checkoutSessionId ?? purchase.id);
  if (payment.amountMinor !== purchase.amountMinor) {
    // Stripe's figure is the truth about what was paid; a mismatch means someone changed the session.
    throw new Error(`Purchase ${purchase.id} expected ${purchase.amountMinor} ${purchase.currency}, Stripe reports ${payment.amountMinor}`);
  }
  const result = await credit(tx, {
    userId: purchase.userId,
    currency: purchase.currency,
    amountMinor: purchase.amountMinor,
    type: "TOPUP",
    idempotencyKey: topUpIdempotencyKey(purchase),
    stripeObjectId: payment.paymentIntentId ?? purchase.checkoutSessionId,
    description: purchase.packKey ? `${findCreditPack(purchase.packKey)?.name ?? purchase.packKey} credit pack` : "Wallet top-up",
  });
  await tx.purchase.update({
    where: { id: purchase.id },
    data: {
      status: "paid",
      failureMessage: null,
      paidAt: purchase.paidAt ?? new Date(),
      paymentIntentId: purchase.paymentIntentId ?? payment.paymentIntentId,
      chargeId: purchase.chargeId ?? payment.chargeId ?? null,
    },
  });
  return result;
}

/** Marks a purchase as not (yet) paid: processing, failed or expired. A paid purchase never goes back. */
export async function updateUnpaidPurchase(
  tx: Tx,
  purchase: Purchase,
  update: { status: "processing" | "failed" | "expired"; failureMessage?: string | null; paymentIntentId?: string | null },
) {
  if (purchase.status === "paid") return;
  await tx.purchase.update({
    where: { id: purchase.id },
    data: {
      status: update.status,
      failureMessage: update.failureMessage ?? null,
      paymentIntentId: purchase.paymentIntentId ?? update.paymentIntentId ?? null,
    },
  });
}

export function getPurchaseBySession(userId: string, checkoutSessionId: string) {
  return db().purchase.findFirst({ where: { userId, checkoutSessionId } });
}

export function listRecentPurchases(userId: string, take = 10) {
  return db().purchase.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take });
}
