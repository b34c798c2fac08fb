import type { Tx } from "../core/db";

// What the inbox asks of the integration whose events it stores (lib/stripe-events for Stripe's).
// The inbox knows how to store, claim, retry and mark an event; what an event means is the
// integration's, so nothing here names a Stripe type or a domain.

/** What the inbox reads of an event: the provider's id (unique) and its type. */
export interface InboxEvent {
  id: string;
  type: string;
}

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

/** The event row the fast path inserts: the payload exactly as Stripe sent it. */
export interface StoredEventValues {
  stripeEventId: string;
  type: string;
  rawBody: string;
}

export type FastPathApplication =
  /**
   * Already stored: nothing of this delivery was inserted. `storedStatus` is the stored row's status
   * as the statement saw it; null when it could not see the row yet (a concurrent delivery's insert,
   * not committed when the statement began).
   */
  | { outcome: "redelivery"; storedStatus: string | null }
  /** Stored (received), not applied: the general path must run it. */
  | { outcome: "stored"; eventRowId: string }
  /** Applied; `emailsQueued` emails (the top-up's receipt) wait in the outbox for the email worker. */
  | { outcome: "applied"; woken: number; emailsQueued: number };

/** How the inbox runs one integration's events: given once, by that integration (lib/stripe-events/inbox.ts). */
export interface EventRunner<E extends InboxEvent> {
  /** The stored payload back as the event the handlers take. */
  parse(payload: string): E;
  /** Runs the event's handler; "ignored" when it has none. Its effects commit through `context.commit`. */
  dispatch(event: E, context: HandlerContext): Promise<"handled" | "ignored">;
  /** True when the handler will call the provider's API, so the route answers before running it. */
  isSlow(event: E): Promise<boolean>;
  /** Stores and applies the event in one statement when its handler has a fast path; null otherwise. */
  storeAndApply(event: E, stored: StoredEventValues): Promise<FastPathApplication | null>;
  /**
   * Told, once a commit that queued emails is in, that the outbox has work: it wakes whoever sends
   * the outbox (the email worker), which sends them in batches off this path. Returns at once.
   */
  emailsQueued(): void;
}
