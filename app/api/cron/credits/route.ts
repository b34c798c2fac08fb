// POST /api/cron/credits: expire grants whose date has come and reservations whose TTL has passed, and charge pending auto-recharges;
// called every minute by a scheduler with the CRON_SECRET bearer.
import { NextResponse } from "next/server";
import { withCronSecret } from "@/lib/accounts";
import { runCreditSweep } from "@/lib/usage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = withCronSecret(async () => NextResponse.json(await runCreditSweep()));

// Vercel Cron calls its paths with GET (and the same bearer), so both verbs run the sweep.
export const GET = POST;
