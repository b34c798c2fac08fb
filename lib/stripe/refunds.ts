import "server-only";
import Stripe from "stripe";
import { AppError, ServiceUnavailableError } from "../core/errors";
import { stripe } from "./client";
import { listAll } from "./ids";

/** Every refund of a charge; `charge.refunded` events do not carry the refund list in this API version. */
export function listRefundsForCharge(chargeId: string): Promise<Stripe.Refund[]> {
  return listAll(stripe().refunds.list({ charge: chargeId, limit: 100 }));
}

export interface CreateRefundOptions {
  paymentIntentId: string;
  amountMinor: number;
  /** Copied onto the refund so Stripe's own record names the purchase, the admin, the reason and the form. */
  metadata: Record<string, string>;
  /** Stripe replays the first refund for the same key and parameters, so a retried request refunds once. */
  idempotencyKey: string;
}

/**
 * Asks Stripe to refund part or all of a top-up's payment; the wallet moves when its events come back.
 * Stripe's refusals come back as a 422 with Stripe's own message; not reaching Stripe, as a 503 that
 * says the refund may or may not exist (retrying with the same key is safe either way).
 */
export async function createRefund(options: CreateRefundOptions): Promise<Stripe.Refund> {
  try {
    return await stripe().refunds.create(
      { payment_intent: options.paymentIntentId, amount: options.amountMinor, reason: "requested_by_customer", metadata: options.metadata },
      { idempotencyKey: options.idempotencyKey },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError) {
      throw new ServiceUnavailableError("stripe_unavailable", "Stripe did not answer, so the refund may or may not have been made. Submit the same form again: it cannot refund twice.");
    }
    if (error instanceof Stripe.errors.StripeError) {
      throw new AppError("refund_refused", `Stripe refused the refund: ${error.message}`, 422, { stripeCode: error.code ?? error.type });
    }
    throw error;
  }
}
