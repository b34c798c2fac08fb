// POST /api/webhooks/stripe: verify Stripe's signature, store the event durably, then process it (or hand it to after()).
import { after, NextResponse } from "next/server";
import type Stripe from "stripe";
import { jsonError, route } from "@/lib/api";
import { verifyWebhookEvent, webhookSecrets, WebhookSignatureError } from "@/lib/stripe";
import { acceptEvent } from "@/lib/webhooks";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1024 * 1024;
const tooLarge = () => jsonError(413, "payload_too_large", "Webhook bodies are limited to 1 MB.");

export const POST = route(async (req) => {
  if (webhookSecrets().length === 0) {
    return jsonError(503, "stripe_not_configured", "Stripe webhooks are not configured on this server.");
  }
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
  const rawBody = await req.text();
  if (Buffer.byteLength(rawBody, "utf8") > MAX_BODY_BYTES) return tooLarge();

  let event: Stripe.Event;
  try {
    event = verifyWebhookEvent(rawBody, req.headers.get("stripe-signature"));
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    return jsonError(400, "invalid_signature", "The Stripe-Signature header is missing, invalid or expired.");
  }

  // Stored before we answer; a failure inside a handler is retried by the sweeper, so Stripe still gets 200.
  const accepted = await acceptEvent(event);
  if (accepted.outcome === "deferred") after(accepted.process);
  return NextResponse.json({ received: true, outcome: accepted.outcome });
});
