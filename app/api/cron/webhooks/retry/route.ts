// POST /api/cron/webhooks/retry: re-run failed and stuck Stripe events; called every minute by a scheduler with the CRON_SECRET bearer.
import { NextResponse } from "next/server";
import { withCronSecret } from "@/lib/guards";
import { retryDueEvents } from "@/lib/webhooks";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = withCronSecret(async () => NextResponse.json(await retryDueEvents({ limit: 50 })));

// Vercel Cron calls its paths with GET (and the same bearer), so both verbs run the sweep.
export const GET = POST;
