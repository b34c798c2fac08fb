// Mirrors a delayed Checkout payment (bank debit, transfer) that has now arrived: credit the purchase.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { settlePaidSession } from "../../payments/purchases";

export const checkoutSessionAsyncPaymentSucceeded: WebhookHandler<Stripe.CheckoutSessionAsyncPaymentSucceededEvent> = {
  async handle(event, { commit }) {
    await commit((tx) => settlePaidSession(tx, event.data.object));
  },
};
