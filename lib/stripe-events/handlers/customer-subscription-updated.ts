// Mirrors the subscription as Stripe holds it now (re-fetched: the event's copy may be stale). An
// update that changed only metadata changes nothing Billfold mirrors, so it is recorded and skipped.
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { refreshSubscription } from "../../billing";
import { isMetadataOnlyUpdate } from "../../billing";

export const customerSubscriptionUpdated: WebhookHandler<Stripe.CustomerSubscriptionUpdatedEvent> = {
  isSlow: (event) => !isMetadataOnlyUpdate(event.data.previous_attributes),
  async handle(event, context) {
    if (isMetadataOnlyUpdate(event.data.previous_attributes)) return context.commit(async () => {});
    await refreshSubscription(event.data.object, context);
  },
};
