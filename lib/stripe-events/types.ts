import type Stripe from "stripe";
import type { FastPathApplication, HandlerContext, StoredEventValues } from "../events";

export type { FastPathApplication, HandlerContext, StoredEventValues } from "../events";

/** The SDK's own type for one event type, e.g. EventOf<"charge.refunded"> is Stripe.ChargeRefundedEvent. */
export type EventOf<T extends Stripe.Event.Type> = Extract<Stripe.Event, { type: T }>;

export interface WebhookHandler<E extends Stripe.Event> {
  handle(event: E, context: HandlerContext): Promise<void>;
  /**
   * True when this event needs a Stripe API call, so the webhook route acknowledges first and
   * processes it with `after()`. It may look in the database, never call Stripe. Omitted: always fast.
   */
  isSlow?(event: E): boolean | Promise<boolean>;
  /**
   * The fast path (see lib/events/fast-path.ts): stores the event and applies it in one SQL statement.
   * Null, having done nothing, when this event is not one it takes (then the general path stores
   * it and runs handle()).
   */
  storeAndApply?(event: E, stored: StoredEventValues): Promise<FastPathApplication | null>;
}

/** Narrows a Stripe event to one type without a cast. */
export function isEventOfType<T extends Stripe.Event.Type>(event: Stripe.Event, type: T): event is EventOf<T> {
  return event.type === type;
}
