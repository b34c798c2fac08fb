import type Stripe from "stripe";
import type { Tx } from "../core/db";

/** The SDK's own type for one event type, e.g. EventOf<"charge.refunded"> is Stripe.ChargeRefundedEvent. */
export type EventOf<T extends Stripe.Event.Type> = Extract<Stripe.Event, { type: T }>;

export interface HandlerContext {
  /**
   * Runs the handler's effects and marks the event processed in one database transaction, so an
   * error anywhere leaves neither. Call it once, after any Stripe API calls (never hold a
   * transaction open across the network).
   */
  commit(effects: (tx: Tx) => Promise<void>): Promise<void>;
  /**
   * Marks the event ignored, with the reason (kept as its last error), and changes nothing else: for
   * a signed event that names something Stripe does not have, which no retry would ever apply.
   * Call it instead of commit, never after it.
   */
  ignore(reason: string): Promise<void>;
}

export interface WebhookHandler<E extends Stripe.Event> {
  handle(event: E, context: HandlerContext): Promise<void>;
  /**
   * True when this event needs a Stripe API call, so the webhook route acknowledges first and
   * processes it with `after()`. It may look in the database, never call Stripe. Omitted: always fast.
   */
  isSlow?(event: E): boolean | Promise<boolean>;
  /**
   * The fast path (see ../fast-path.ts): stores the event and applies it in one SQL statement.
   * Null, having done nothing, when this event is not one it takes (then the general path stores
   * it and runs handle()).
   */
  storeAndApply?(event: E, stored: StoredEventValues): Promise<FastPathApplication | null>;
}

/** The event row the fast path inserts: the payload exactly as Stripe sent it. */
export interface StoredEventValues {
  stripeEventId: string;
  type: string;
  rawBody: string;
}

export type FastPathApplication =
  /** Already stored: nothing of this delivery was inserted. */
  | { outcome: "redelivery" }
  /** Stored (received), not applied: the general path must run it. */
  | { outcome: "stored"; eventRowId: string }
  /** Applied; `emailsQueued` emails (the top-up's receipt) wait in the outbox to be sent after the commit. */
  | { outcome: "applied"; woken: number; emailsQueued: number };

/** Narrows a Stripe event to one type without a cast. */
export function isEventOfType<T extends Stripe.Event.Type>(event: Stripe.Event, type: T): event is EventOf<T> {
  return event.type === type;
}
