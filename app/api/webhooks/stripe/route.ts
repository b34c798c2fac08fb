// POST /api/webhooks/stripe: verify Stripe's signature, store the event durably, then process it (or hand it to after()).
// Emails its commit queued (a top-up's receipt) are the email worker's, after the answer (lib/email/worker.ts).
import { after, NextResponse } from "next/server";
import type Stripe from "stripe";
import { jsonError, route } from "@/lib/core/api";
import { wakeEmailWorker } from "@/lib/payments/receipts";
import { readLimitedBody } from "@/lib/core/http/read-limited-body";
import { assertEventModeMatchesKey, verifyWebhookEvent, webhookSecrets, WebhookSignatureError } from "@/lib/stripe";
import { acceptEvent } from "@/lib/stripe-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1024 * 1024;

// Stripe's signature is its proof of origin; the 1 MB limit is the one exception to BODY_LIMIT_BYTES.
export const POST = route(async (req) => {
  if (webhookSecrets().length === 0) {
    return jsonError(503, "stripe_not_configured", "Stripe webhooks are not configured on this server.");
  }
  // Counted as it streams in, before any signature work: 413 past 1 MB, 400 for a malformed Content-Length.
  const rawBody = await readLimitedBody(req, MAX_BODY_BYTES);

  let event: Stripe.Event;
  try {
    event = verifyWebhookEvent(rawBody, req.headers.get("stripe-signature"));
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    return jsonError(400, "invalid_signature", "The Stripe-Signature header is missing, invalid or expired.");
  }
  assertEventModeMatchesKey(event); // 400 livemode_mismatch, logged and not stored

  // Stored before we answer. When its handler failed here, the answer says so: Stripe then delivers
  // it again (its retries back up the sweeper's, which retries it anyway) and shows the failure.
  const accepted = await acceptEvent(event, rawBody);
  if (accepted.outcome === "deferred") after(accepted.process);
  else if ("sendEmails" in accepted && accepted.sendEmails) wakeEmailWorker(); // e.g. a top-up's receipt
  if (accepted.outcome === "failed" || accepted.outcome === "dead") {
    return jsonError(500, "processing_failed", "The event is stored, but processing it failed; it will be retried.");
  }
  return NextResponse.json({ received: true, outcome: accepted.outcome });
}, { callers: "any", maxBodyBytes: MAX_BODY_BYTES });
