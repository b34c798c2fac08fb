import "server-only";

// The generic event inbox: store, claim, run (through the integration's EventRunner), retry with
// backoff, wake the events waiting for a reference, dead letters and health. It knows no domain and
// no provider: lib/stripe-events binds it to Stripe's events.
export {
  acceptEvent,
  claimEvent,
  claimEventsWhere,
  nextAttemptAfterFailure,
  processClaimedEvent,
  processUnclaimedEvent,
  recordEvent,
  MAX_ATTEMPTS,
  type Acceptance,
  type ProcessOptions,
  type ProcessOutcome,
} from "./inbox";
export { acceptWithFastPath, type FastPathResult } from "./fast-path";
export { retryDueEvents, type SweepResult } from "./sweeper";
export { countEventsByStatus, getWebhookHealth, successRateOf, UNMATCHED_ALERT_MS, type WebhookHealth } from "./health";
export { isReplayable, STALE_LOCK_MS, UNPROCESSED_GRACE_MS, type ReplayableEvent } from "./status";
export { eventsWokenIn, UnmatchedEventError, wakeEventsAwaiting } from "./awaiting";
export type { EventRunner, FastPathApplication, HandlerContext, InboxEvent, StoredEventValues } from "./types";
