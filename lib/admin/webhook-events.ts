import { z } from "zod";
import { db } from "../core/db";
import { firstSearchValue } from "../core/forms";
import type { Prisma } from "../generated/prisma/client";
import { WebhookEventStatus } from "../generated/prisma/enums";
import { countEventsByStatus, successRateOf } from "../events";
import { afterCursor, decodeCursor, pageOf } from "./cursor";

// The admin's webhook event log: newest first by keyset on (receivedAt, id), filtered by type and
// status. Each filter has its index, (receivedAt, id), (status, receivedAt, id) and
// (type, receivedAt, id), so a page costs the same on the first page as on the thousandth, and
// nothing counts the whole table. What needs attention is a status filter away (and counted on the
// overview), so the list no longer ranks by status.

export const WEBHOOK_EVENT_PAGE_SIZE = 50;
export const WEBHOOK_EVENT_MAX_PAGE_SIZE = 200;

const STATUSES = Object.values(WebhookEventStatus);

/** `invoice.paid` (exact) or `invoice.` (every type starting with it): lowercase Stripe type characters only. */
const typeFilterSchema = z
  .string()
  .trim()
  .max(100)
  .regex(/^[a-z0-9_.]+$/, "Use a Stripe event type such as invoice.paid, or a prefix ending in a dot such as invoice.");

/** `failed`, `failed,dead`, or the same as repeated parameters; `!ignored` is everything but ignored. */
const statusFilterSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean))
  .pipe(z.array(z.enum(STATUSES)).max(STATUSES.length));

/** The filter the page, the JSON API and the bulk replay share. Empty strings mean "no filter". */
export const webhookEventFilterSchema = z.object({
  type: z.preprocess((value) => (value === "" ? undefined : value), typeFilterSchema.optional()),
  status: z.preprocess((value) => (value === "" ? undefined : value), statusFilterSchema.optional()),
  hideIgnored: z.preprocess((value) => value === "1" || value === "true" || value === true, z.boolean()).default(false),
});

export type WebhookEventFilter = z.output<typeof webhookEventFilterSchema>;

/** The WHERE of a filter, without paging. A type ending in "." is a prefix. */
export function webhookEventWhere(filter: WebhookEventFilter): Prisma.WebhookEventWhereInput {
  const statuses = filter.status?.length ? filter.status : null;
  const status: Prisma.WebhookEventWhereInput["status"] = statuses
    ? { in: filter.hideIgnored ? statuses.filter((s) => s !== "ignored") : statuses }
    : filter.hideIgnored
      ? { not: "ignored" }
      : undefined;
  return {
    ...(filter.type ? { type: filter.type.endsWith(".") ? { startsWith: filter.type } : filter.type } : {}),
    ...(status ? { status } : {}),
  };
}

export interface AdminWebhookEvent {
  id: string;
  stripeEventId: string;
  type: string;
  status: WebhookEventStatus;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  nextAttemptAt: Date | null;
  lockedAt: Date | null;
}

const LIST_SELECT = {
  id: true,
  stripeEventId: true,
  type: true,
  status: true,
  attempts: true,
  lastError: true,
  receivedAt: true,
  processedAt: true,
  nextAttemptAt: true,
  lockedAt: true,
} as const satisfies Prisma.WebhookEventSelect;

/** One page of events, newest first; never the payload. `nextCursor` is null on the last page. */
export async function listWebhookEvents(
  filter: WebhookEventFilter,
  page: { after?: string | null; take?: number } = {},
): Promise<{ events: AdminWebhookEvent[]; nextCursor: string | null }> {
  const take = Math.min(page.take ?? WEBHOOK_EVENT_PAGE_SIZE, WEBHOOK_EVENT_MAX_PAGE_SIZE);
  const cursor = decodeCursor(page.after);
  const rows = await db().webhookEvent.findMany({
    where: {
      ...webhookEventWhere(filter),
      ...afterCursor("receivedAt", cursor),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: LIST_SELECT,
  });
  const { items, nextCursor } = pageOf(rows, take, (row) => row.receivedAt);
  return { events: items, nextCursor };
}

/** One event with its stored payload, for the payload viewer; null when there is no such event. */
export function getWebhookEventWithPayload(id: string) {
  return db().webhookEvent.findUnique({ where: { id } });
}

export interface WebhookEventStats {
  last24h: {
    /** Processed and ignored out of everything finished (see lib/events/health.ts); null with nothing finished. */
    successRate: number | null;
    byStatus: Record<WebhookEventStatus, number>;
    /** Most frequent first. */
    byType: Array<{ type: string; count: number }>;
  };
}

/** The last 24 hours, grouped by status and by type: two GROUP BYs over the receivedAt index's range; the success rate as /api/webhooks/health counts it. */
export async function getWebhookEventStats(now = new Date()): Promise<WebhookEventStats> {
  const since = new Date(now.getTime() - 24 * 60 * 60_000);
  const [byStatus, byTypeRows] = await Promise.all([
    countEventsByStatus({ since, until: now }),
    db().webhookEvent.groupBy({ by: ["type"], where: { receivedAt: { gte: since, lte: now } }, _count: { _all: true } }),
  ]);
  const byType = byTypeRows
    .map((row) => ({ type: row.type, count: row._count._all }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return { last24h: { successRate: successRateOf(byStatus), byStatus, byType } };
}

export interface ParsedWebhookEventSearch {
  filter: WebhookEventFilter;
  /** What was wrong with the query, one message per field; the field is then left out of the filter. */
  errors: string[];
  /** The type as typed, kept in the form even when it was refused. */
  typedType: string;
}

/**
 * The page's query string, leniently: a bad field is reported and dropped, the others still apply
 * (the JSON API parses strictly and answers 422 instead).
 */
export function parseWebhookEventSearch(params: Record<string, string | string[] | undefined>): ParsedWebhookEventSearch {
  const errors: string[] = [];
  const typedType = firstSearchValue(params.type) ?? "";
  const type = webhookEventFilterSchema.shape.type.safeParse(typedType);
  if (!type.success) errors.push(`Type: ${type.error.issues[0]?.message ?? "not valid"}`);
  const status = webhookEventFilterSchema.shape.status.safeParse(params.status);
  if (!status.success) errors.push(`Status: choose from ${STATUSES.join(", ")}.`);
  const hideIgnored = webhookEventFilterSchema.shape.hideIgnored.parse(firstSearchValue(params.hideIgnored));
  return { filter: { type: type.success ? type.data : undefined, status: status.success ? status.data : undefined, hideIgnored }, errors, typedType };
}
