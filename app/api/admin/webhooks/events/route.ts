// GET /api/admin/webhooks/events: the webhook event log as JSON for monitoring (admins only): the page's filters, keyset pages, 24 h stats; no payloads.
import { NextResponse } from "next/server";
import { z } from "zod";
import { decodeCursor } from "@/lib/admin";
import { getWebhookEventStats, listWebhookEvents, WEBHOOK_EVENT_MAX_PAGE_SIZE, WEBHOOK_EVENT_PAGE_SIZE, webhookEventFilterSchema } from "@/lib/admin";
import { withAdmin } from "@/lib/accounts";

const querySchema = webhookEventFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(WEBHOOK_EVENT_MAX_PAGE_SIZE).default(WEBHOOK_EVENT_PAGE_SIZE),
  // A script should hear about a bad cursor, where the page quietly starts over.
  cursor: z.string().max(512).refine((raw) => decodeCursor(raw) !== null, "not a cursor this API returned").optional(),
});

export const GET = withAdmin(async (req) => {
  const searchParams = new URL(req.url).searchParams;
  const query = querySchema.parse({ ...Object.fromEntries(searchParams), status: searchParams.getAll("status") });
  const [{ events, nextCursor }, stats] = await Promise.all([
    listWebhookEvents(query, { after: query.cursor, take: query.limit }),
    getWebhookEventStats(),
  ]);
  return NextResponse.json({
    events: events.map(({ lockedAt: _lockedAt, ...event }) => event),
    nextCursor,
    stats,
  });
});
