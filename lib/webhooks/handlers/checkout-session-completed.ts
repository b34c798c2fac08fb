// Mirrors a Checkout Session that the customer completed: paid → credit; unpaid (delayed method) → processing.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { updateUnpaidPurchase } from "../../topups";
import { isTopUpSession, lockPurchase, sessionReference, settlePaidSession } from "../purchases";
import { stripeId } from "../types";

export const checkoutSessionCompleted: WebhookHandler<Stripe.CheckoutSessionCompletedEvent> = {
  async handle(event, { commit }) {
    const session = event.data.object;
    await commit(async (tx) => {
      if (session.payment_status === "paid") return settlePaidSession(tx, session);
      if (session.payment_status !== "unpaid" || !isTopUpSession(session)) return;
      // The money is on its way (bank debit, transfer); async_payment_succeeded or _failed will settle it.
      const purchase = await lockPurchase(tx, sessionReference(session));
      // Only from pending: a purchase the async outcome already reached must not step back.
      if (!purchase || purchase.status !== "pending") return;
      await updateUnpaidPurchase(tx, purchase, { status: "processing", paymentIntentId: stripeId(session.payment_intent) });
    });
  },
};
