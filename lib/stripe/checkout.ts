import "server-only";
import type Stripe from "stripe";
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
