import "server-only";

// Stripe's events: one handler per event type (./handlers), the typed dispatch table, and the
// binding of the generic inbox (lib/events) to them. It calls the domains; nothing below imports it.
export { acceptEvent, processClaimedEvent, processUnclaimedEvent, retryDueEvents } from "./inbox";
export { dispatchEvent, handledEventTypes, isHandledEventType, isSlowEvent, IGNORED_ON_PURPOSE } from "./dispatch";
export { injectHandlerFailures, type HandlerFailureCheck } from "./failure-injection";
export { isEventOfType, type EventOf, type WebhookHandler } from "./types";
export { claimEvent, recordEvent, nextAttemptAfterFailure, MAX_ATTEMPTS, type Acceptance, type ProcessOutcome, type SweepResult } from "../events";
