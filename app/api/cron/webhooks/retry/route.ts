// POST /api/cron/webhooks/retry: re-run failed and stuck Stripe events, and send emails still queued;
// called every minute by a scheduler with the CRON_SECRET bearer.
import { NextResponse } from "next/server";
import { withCronSecret } from "@/lib/accounts";
import { deliverQueuedEmails } from "@/lib/payments/receipts";
import { retryDueEvents } from "@/lib/stripe-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = withCronSecret(async () => {
  const events = await retryDueEvents({ limit: 50 });
  const emails = await deliverQueuedEmails({ limit: 50 });
  return NextResponse.json({ ...events, emails });
});

// Vercel Cron calls its paths with GET (and the same bearer), so both verbs run the sweep.
export const GET = POST;
