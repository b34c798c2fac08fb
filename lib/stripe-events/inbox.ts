import type Stripe from "stripe";
import type { WebhookEvent } from "../generated/prisma/client";
import * as inbox from "../events";
import type { EventRunner, FastPathResult, ProcessOptions, ProcessOutcome } from "../events";
import { wakeEmailWorker } from "../payments/receipts";
import { parseStoredEvent } from "../stripe";
import { dispatchEvent, isSlowEvent, storeAndApplyFast } from "./dispatch";

// Stripe's events through the generic inbox (lib/events): how a stored payload becomes a
// Stripe.Event again, which handler runs it, which have a fast path, and who sends the emails a
// commit queued (the email worker, woken). The functions below are the inbox's, with Stripe's runner given.

const stripeEvents: EventRunner<Stripe.Event> = {
  parse: parseStoredEvent,
  dispatch: dispatchEvent,
  isSlow: isSlowEvent,
  storeAndApply: storeAndApplyFast,
  emailsQueued: wakeEmailWorker,
};

/** What the webhook route does with a verified event: store it, then run it now or hand back a deferred job (see lib/events/inbox.ts). */
export function acceptEvent(event: Stripe.Event, rawBody = JSON.stringify(event)): Promise<inbox.Acceptance> {
  return inbox.acceptEvent(stripeEvents, event, rawBody);
}

/** Runs an event this worker has claimed (claimEvent, the sweeper); the attempt number fences a stale claim. */
export function processClaimedEvent(row: WebhookEvent, options: ProcessOptions<Stripe.Event> = {}): Promise<ProcessOutcome> {
  return inbox.processClaimedEvent(stripeEvents, row, options);
}

/** Runs a stored event nobody has claimed, taking it inside the transaction that commits its effects; "taken" when another worker has it. */
export function processUnclaimedEvent(row: WebhookEvent, options: ProcessOptions<Stripe.Event> = {}): Promise<ProcessOutcome | "taken"> {
  return inbox.processUnclaimedEvent(stripeEvents, row, options);
}

/** The sweeper's pass over due events (failed, unmatched, stale, never run). */
export function retryDueEvents(options: { limit?: number } = {}): Promise<inbox.SweepResult> {
  return inbox.retryDueEvents(stripeEvents, options);
}

/** The fast path alone (lib/events/fast-path.ts) for a Stripe event: what the webhook route tries first. */
export function acceptWithFastPath(event: Stripe.Event, rawBody: string): Promise<FastPathResult> {
  return inbox.acceptWithFastPath(stripeEvents, event, rawBody);
}
