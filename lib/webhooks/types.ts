import type pg from "pg";
import type Stripe from "stripe";
import type { Tx } from "../db";

/** The SDK's own type for one event type, e.g. EventOf<"charge.refunded"> is Stripe.ChargeRefundedEvent. */
export type EventOf<T extends Stripe.Event.Type> = Extract<Stripe.Event, { type: T }>;

export interface HandlerContext {
  /**
   * Runs the handler's effects and marks the event processed in one database transaction, so an
   * error anywhere leaves neither. Call it once, after any Stripe API calls (never hold a
   * transaction open across the network).
   */
  commit(effects: (tx: Tx) => Promise<void>): Promise<void>;
}

export interface WebhookHandler<E extends Stripe.Event> {
  handle(event: E, context: HandlerContext): Promise<void>;
  /**
   * True when this event needs a Stripe API call, so the webhook route acknowledges first and
   * processes it with `after()`. It may look in the database, never call Stripe. Omitted: always fast.
   */
  isSlow?(event: E): boolean | Promise<boolean>;
  /**
   * The fast path (see ../fast-path.ts): applies the event in plain SQL on `client`, inside the
   * transaction that stores it, and returns "not_applied" without writing anything when the case is
   * not its to settle (then handle() runs). Only for an event whose every effect it can write.
   */
  applyInStoringTransaction?(event: E, client: pg.ClientBase): Promise<FastPathApplication>;
}

export type FastPathApplication = { outcome: "applied"; woken: number } | { outcome: "not_applied" };

/** Narrows a Stripe event to one type without a cast. */
export function isEventOfType<T extends Stripe.Event.Type>(event: Stripe.Event, type: T): event is EventOf<T> {
  return event.type === type;
}
