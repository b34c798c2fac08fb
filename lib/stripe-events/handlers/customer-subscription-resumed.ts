// Mirrors the subscription as Stripe holds it now (re-fetched: the event's copy may be stale).
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { refreshSubscription } from "../../billing";

export const customerSubscriptionResumed: WebhookHandler<Stripe.CustomerSubscriptionResumedEvent> = {
  isSlow: () => true,
  handle: (event, context) => refreshSubscription(event.data.object, context),
};
