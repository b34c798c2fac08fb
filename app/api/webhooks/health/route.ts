// GET /api/webhooks/health: public webhook inbox health (ok/degraded, last event time, 24 h success rate, failed, unmatched, dead and pending counts; no payloads).
import { NextResponse } from "next/server";
import { route } from "@/lib/core/api";
import { getWebhookHealth } from "@/lib/events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async () => NextResponse.json(await getWebhookHealth()));
