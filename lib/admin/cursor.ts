import { z } from "zod";

// The opaque keyset cursors of the admin lists: a page starts after (time, id) of the previous page's
// last row, newest first. Base64url JSON, so a URL can carry it; a malformed one reads as "first page"
// (a stale bookmark should not be an error page).

const cursorSchema = z.object({ at: z.iso.datetime(), id: z.string().min(1).max(64) });

export interface KeysetCursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString("base64url");
}

/** The position a page starts after, or null for a missing or malformed cursor (then the first page). */
export function decodeCursor(raw: string | null | undefined): KeysetCursor | null {
  if (!raw) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? { at: new Date(parsed.data.at), id: parsed.data.id } : null;
  } catch {
    return null;
  }
}

/**
 * The Prisma condition for rows after `cursor` in newest-first (time, id) order: an older time, or the
 * same time and a smaller id. Nothing (every row) without a cursor.
 */
export function afterCursor<F extends string>(timeField: F, cursor: KeysetCursor | null): { OR?: Array<AfterCursorCondition<F>> } {
  if (!cursor) return {};
  const older = { [timeField]: { lt: cursor.at } } as AfterCursorCondition<F>;
  const sameTimeSmallerId = { [timeField]: cursor.at, id: { lt: cursor.id } } as AfterCursorCondition<F>;
  return { OR: [older, sameTimeSmallerId] };
}

type AfterCursorCondition<F extends string> = { [K in F]?: Date | { lt: Date } } & { id?: { lt: string } };

/** Splits `take + 1` fetched rows into the page and the cursor of the next one (null on the last page). */
export function pageOf<T extends { id: string }>(rows: T[], take: number, timeOf: (row: T) => Date): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodeCursor({ at: timeOf(last), id: last.id }) : null };
}
