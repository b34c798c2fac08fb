export { acceptEvent, claimEvent, nextAttemptAfterFailure, processEvent, recordEvent, MAX_ATTEMPTS, type Acceptance, type ProcessOutcome } from "./inbox";
export { dispatchEvent, isSlowEvent } from "./dispatch";
export { retryDueEvents, type SweepResult } from "./sweeper";
export { getWebhookHealth, type WebhookHealth } from "./health";
export { replayWebhookEvent } from "./replay";
export { isReplayable, STALE_LOCK_MS } from "./status";
