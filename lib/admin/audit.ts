import type { AdminAction, AdminAuditEntry } from "../generated/prisma/client";
import { db, Prisma, type Tx } from "../core/db";
import { ValidationError } from "../core/errors";
import { afterCursor, decodeCursor, pageOf } from "./cursor";

// The admin audit log. Every admin action writes one entry in the same transaction as its effect
// (or, for a Stripe call, before the call), so an action is never done without its record. Nothing
// here, or anywhere in the app, updates or deletes an entry; the database refuses it too (trigger).

export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditRecord {
  action: AdminAction;
  /** "export" names what was exported as its id: "transactions" for the list of entries, the id rows already written carry (old name, kept), with the filter in the details. */
  targetType: "user" | "purchase" | "webhook_event" | "reconciliation" | "export";
  targetId: string;
  reason?: string | null;
  details?: Prisma.InputJsonObject;
}

/** The reason every admin action records: trimmed, 3 to 500 characters (the forms check the same first, in zod). */
export function auditReason(text: string): string {
  const reason = text.trim();
  if (reason.length < 3 || reason.length > 500) throw new ValidationError("Give a reason of 3 to 500 characters.", { field: "reason" });
  return reason;
}

export function recordAdminAction(tx: Tx, admin: AuditActor, record: AuditRecord): Promise<AdminAuditEntry> {
  return tx.adminAuditEntry.create({
    data: {
      adminId: admin.id,
      adminEmail: admin.email,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      reason: record.reason ?? null,
      details: record.details ?? {},
    },
  });
}

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
  action?: AdminAction;
  adminEmail?: string;
  targetId?: string;
}

/** One page of the audit log, newest first, by keyset on (createdAt, id). */
export async function listAuditEntries(filter: AuditFilter = {}, page: { after?: string | null; take?: number } = {}) {
  const take = page.take ?? AUDIT_PAGE_SIZE;
  const cursor = decodeCursor(page.after);
  const rows = await db().adminAuditEntry.findMany({
    where: {
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.adminEmail ? { adminEmail: filter.adminEmail } : {}),
      ...(filter.targetId ? { targetId: filter.targetId } : {}),
      ...afterCursor("createdAt", cursor),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
  });
  const { items, nextCursor } = pageOf(rows, take, (row) => row.createdAt);
  return { entries: items, nextCursor };
}
