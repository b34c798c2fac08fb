export { acceptEvent, claimEvent, nextAttemptAfterFailure, processEvent, processStoredEvent, recordEvent, MAX_ATTEMPTS, type Acceptance, type ProcessOutcome } from "../events/inbox";
export { dispatchEvent, isSlowEvent } from "./dispatch";
export { retryDueEvents, type SweepResult } from "../events/sweeper";
export { getWebhookHealth, UNMATCHED_ALERT_MS, type WebhookHealth } from "../events/health";
export { BULK_REPLAY_LIMIT, countBulkReplayable, replayFailedWebhookEvents, replayWebhookEvent, type BulkReplayResult, type ReplayResult } from "../admin/webhook-replay";
export { isReplayable, STALE_LOCK_MS, UNPROCESSED_GRACE_MS, type ReplayableEvent } from "../events/status";
export { UnmatchedEventError, wakeEventsAwaiting } from "../events/awaiting";
