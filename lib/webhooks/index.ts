export { acceptEvent, claimEvent, nextAttemptAfterFailure, processEvent, processStoredEvent, recordEvent, MAX_ATTEMPTS, type Acceptance, type ProcessOutcome } from "./inbox";
export { dispatchEvent, isSlowEvent } from "./dispatch";
export { retryDueEvents, type SweepResult } from "./sweeper";
export { getWebhookHealth, UNMATCHED_ALERT_MS, type WebhookHealth } from "./health";
export { BULK_REPLAY_LIMIT, countBulkReplayable, replayFailedWebhookEvents, replayWebhookEvent, type BulkReplayResult, type ReplayResult } from "./replay";
export { isReplayable, STALE_LOCK_MS, UNPROCESSED_GRACE_MS, type ReplayableEvent } from "./status";
export { UnmatchedEventError, wakeEventsAwaiting } from "./awaiting";
