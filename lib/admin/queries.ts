import { z } from "zod";
import { db, Prisma } from "../db";
import type { WebhookEventStatus } from "../generated/prisma/enums";

// No count over the ledger or the event log here: with millions of rows it would cost every visit
// hundreds of milliseconds; the transaction and webhook pages total what their filter selects.
export async function getAdminOverview() {
  return { users: await db().user.count() };
}

export const WEBHOOK_EVENT_PAGE_SIZE = 25;

// The admin's event list puts what needs attention first: dead letters, then failures, then events
// waiting for their purchase, then everything else; newest first within each. Paged by keyset
// (rank, receivedAt, id), so an old dead letter is as easy to reach as a new one and pages do not
// shift as events arrive.
const ATTENTION_RANK = Prisma.sql`CASE "status" WHEN 'dead' THEN 0 WHEN 'failed' THEN 1 WHEN 'unmatched' THEN 2 ELSE 3 END`;

const cursorSchema = z.object({ rank: z.number().int().min(0).max(3), receivedAt: z.iso.datetime(), id: z.string().min(1).max(64) });
type EventCursor = z.infer<typeof cursorSchema>;

function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** The position a page starts after, or null for a missing or malformed cursor (then the first page). */
function decodeCursor(raw: string | null | undefined): EventCursor | null {
  if (!raw) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
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

/** One page of webhook events, attention first; never the payload. `nextCursor` is null on the last page. */
export async function listWebhookEventsForAdmin({ after, take = WEBHOOK_EVENT_PAGE_SIZE }: { after?: string | null; take?: number } = {}) {
  const cursor = decodeCursor(after);
  const start = cursor
    ? Prisma.sql`("rank" > ${cursor.rank} OR ("rank" = ${cursor.rank} AND ("receivedAt" < ${new Date(cursor.receivedAt)}
        OR ("receivedAt" = ${new Date(cursor.receivedAt)} AND "id" < ${cursor.id}))))`
    : Prisma.sql`TRUE`;
  const rows = await db().$queryRaw<Array<AdminWebhookEvent & { rank: number }>>`
    SELECT * FROM (
      SELECT "id", "stripeEventId", "type", "status", "attempts", "lastError", "receivedAt", "processedAt", "nextAttemptAt", "lockedAt",
             ${ATTENTION_RANK} AS "rank"
      FROM "WebhookEvent"
    ) AS ranked
    WHERE ${start}
    ORDER BY "rank" ASC, "receivedAt" DESC, "id" DESC
    LIMIT ${take + 1}`;
  const events = rows.slice(0, take);
  const last = events.at(-1);
  const nextCursor = rows.length > take && last ? encodeCursor({ rank: last.rank, receivedAt: last.receivedAt.toISOString(), id: last.id }) : null;
  return { events: events.map(({ rank: _rank, ...event }) => event), nextCursor };
}
