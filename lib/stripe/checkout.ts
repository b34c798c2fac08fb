import "server-only";
import Stripe from "stripe";
import { stripe } from "./client";

export interface CreateTopUpSessionOptions {
  purchaseId: string;
  userId: string;
  customerId: string;
  packKey: string | null;
  productName: string;
  amountMinor: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
}

/** A Checkout Session in payment mode for a wallet top-up. The amount comes from the server's catalog or validated input. */
export async function createTopUpCheckoutSession(options: CreateTopUpSessionOptions): Promise<Stripe.Checkout.Session> {
  // Stripe metadata values are strings; an empty string marks a custom amount.
  const metadata = {
    billfoldUserId: options.userId,
    billfoldPurchaseId: options.purchaseId,
    purpose: "topup",
    packKey: options.packKey ?? "",
  };
  return stripe().checkout.sessions.create(
    {
      mode: "payment",
      customer: options.customerId,
      client_reference_id: options.userId,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: options.currency.toLowerCase(),
            unit_amount: options.amountMinor,
            product_data: { name: options.productName },
          },
        },
      ],
      metadata,
      // Copied onto the PaymentIntent, so its own events lead back to the purchase.
      payment_intent_data: { metadata },
      success_url: options.successUrl,
      cancel_url: options.cancelUrl,
    },
    { idempotencyKey: `checkout:${options.purchaseId}` },
  );
}

export function retrieveCheckoutSession(sessionId: string): Promise<Stripe.Checkout.Session> {
  return stripe().checkout.sessions.retrieve(sessionId);
}

/**
 * Expires an open session (`checkout.sessions.expire`) so it can no longer be paid, and returns the
 * session as it ends up: `expired`, or `complete` when the customer paid first, or still `open` when
 * Stripe refused because a payment on it is in progress. Only open sessions can be expired; Stripe
 * answers any other with an invalid-request error, after which the session is read again.
 */
export async function expireCheckoutSession(sessionId: string): Promise<Stripe.Checkout.Session> {
  const session = await stripe().checkout.sessions.retrieve(sessionId);
  if (session.status !== "open") return session;
  try {
    return await stripe().checkout.sessions.expire(sessionId);
  } catch (error) {
    // Completed or expired between the two calls (or a payment is under way): report what it is now.
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return stripe().checkout.sessions.retrieve(sessionId);
    throw error;
  }
}
