import "server-only";
import Stripe from "stripe";
import { env } from "../core/env";
import { AppError } from "../core/errors";
import { log } from "../core/log";
import { stripeKeyIsLive } from "./mode";

export const WEBHOOK_TOLERANCE_SECONDS = 300;

export class WebhookSignatureError extends Error {}

export function webhookSecrets(): string[] {
  return (env().STRIPE_WEBHOOK_SECRET ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

// Verification needs no API key: the static webhooks helper does it offline.
const webhooks = Stripe.webhooks;

/**
 * Verifies the Stripe-Signature header against each configured secret (two during a rotation),
 * on the raw body, with Stripe's 300-second tolerance.
 */
export function verifyWebhookEvent(rawBody: string, signature: string | null, secrets = webhookSecrets()): Stripe.Event {
  if (!signature) throw new WebhookSignatureError("Missing Stripe-Signature header.");
  for (const secret of secrets) {
    try {
      return webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
    } catch {
      // Try the next secret; which one failed, and why, is not for the caller to learn.
    }
  }
  throw new WebhookSignatureError("Invalid or expired Stripe signature.");
}

export class LivemodeMismatchError extends AppError {
  constructor(eventLive: boolean) {
    super(
      "livemode_mismatch",
      `This server uses a ${eventLive ? "test" : "live"}-mode Stripe key and does not accept ${eventLive ? "live" : "test"}-mode events.`,
      400,
    );
  }
}

/**
 * Refuses (400, logged, not stored) an event from the other mode than the key's: a test event sent
 * to production (or a live one to a test deployment) must never move real balances.
 */
export function assertEventModeMatchesKey(event: Stripe.Event, keyIsLive = stripeKeyIsLive()): void {
  if (event.livemode === keyIsLive) return;
  log.warn("webhook_livemode_mismatch", { eventId: event.id, type: event.type, eventLivemode: event.livemode, keyLivemode: keyIsLive });
  throw new LivemodeMismatchError(event.livemode);
}

/** Re-reads an event already verified and stored, for a retry. */
export function parseStoredEvent(payload: string): Stripe.Event {
  return webhooks.constructEventWithoutVerification(payload);
}
