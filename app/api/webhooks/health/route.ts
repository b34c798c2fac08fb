// GET /api/webhooks/health: public webhook inbox health (last event time, 24 h success rate, failed and pending counts; no payloads).
import { NextResponse } from "next/server";
import { route } from "@/lib/api";
import { getWebhookHealth } from "@/lib/webhooks";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async () => NextResponse.json(await getWebhookHealth()));
