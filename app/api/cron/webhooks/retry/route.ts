// POST /api/cron/webhooks/retry: re-run failed and stuck Stripe events; called every minute by a scheduler with the CRON_SECRET bearer.
import { NextResponse } from "next/server";
import { jsonError, route } from "@/lib/api";
import { hasBearerSecret } from "@/lib/cron";
import { env } from "@/lib/env";
import { retryDueEvents } from "@/lib/webhooks";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(async (req) => {
  const secret = env().CRON_SECRET;
  if (!secret) return jsonError(503, "cron_not_configured", "CRON_SECRET is not set on this server.");
  if (!hasBearerSecret(req, secret)) return jsonError(401, "unauthorized", "A valid cron bearer token is required.");
  return NextResponse.json(await retryDueEvents({ limit: 50 }));
});

// Vercel Cron calls its paths with GET (and the same bearer), so both verbs run the sweep.
export const GET = POST;
