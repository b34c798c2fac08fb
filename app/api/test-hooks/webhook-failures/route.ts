// POST /api/test-hooks/webhook-failures { type }: make that event type's webhook handler fail; DELETE { type? } undoes it.
// For the e2e server only: 404 wherever lib/core/production-guards.ts testHooksAllowed says no (every real deployment).
import { NextResponse } from "next/server";
import { z } from "zod";
import { jsonError, parseJson, route } from "@/lib/core/api";
import { clearWebhookHandlerFailure, failWebhookHandler, testHooksEnabled } from "@/lib/tooling/test-hooks";

export const dynamic = "force-dynamic";

const eventType = z.string().regex(/^[a-z0-9_.]+$/).max(100);

const notFound = () => jsonError(404, "not_found", "Not found.");

export const POST = route(async (req) => {
  if (!testHooksEnabled()) return notFound();
  const { type } = await parseJson(req, z.object({ type: eventType }));
  failWebhookHandler(type);
  return NextResponse.json({ failing: type });
});

export const DELETE = route(async (req) => {
  if (!testHooksEnabled()) return notFound();
  const { type } = await parseJson(req, z.object({ type: eventType.optional() }));
  clearWebhookHandlerFailure(type);
  return NextResponse.json({ cleared: type ?? "all" });
});
