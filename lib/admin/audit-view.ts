import type { AdminAction, AdminAuditEntry } from "../generated/prisma/client";
import type { Prisma } from "../core/db";
import { db } from "../core/db";
import { countOf, formatDateTime } from "../core/format";
import { formatMoney } from "../core/money";
import { listAuditEntries, type AuditFilter } from "./audit";

// The audit log as an admin reads it: who did what, to which person (by email, linked), amounts as
// money, with the stored JSON kept for a details toggle. The entries themselves stay as written; this
// only reads them, and reads old or unexpected shapes without failing (each field is checked).

export interface AuditEntryView {
  id: string;
  createdAt: Date;
  adminEmail: string;
  action: AdminAction;
  actionLabel: string;
  /** One sentence: "Credited £12.50; balance after: £20.00". */
  summary: string;
  /** Whom or what it was done to: the person's email and their page, a webhook event, a date range. */
  subject: { label: string; href: string | null };
  reason: string | null;
  details: Prisma.JsonValue;
}

export const AUDIT_ACTION_LABELS: Record<AdminAction, string> = {
  ADJUSTMENT: "Adjustment",
  REFUND: "Refund",
  REFUND_REFUSED: "Refund refused",
  REPLAY: "Webhook replay",
  BACKFILL: "Backfill",
  GRANT: "Promotional grant",
  VOID: "Grant voided",
  EXPORT: "Export",
};

type Details = Record<string, Prisma.JsonValue | undefined>;
type Person = { id: string; email: string };
type PurchaseOf = { amountMinor: number; currency: string; user: Person };

/** One page of the audit log, newest first, as read (see listAuditEntries for the paging). */
export async function getAuditLog(filter: AuditFilter = {}, page: { after?: string | null; take?: number } = {}): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
  const { entries, nextCursor } = await listAuditEntries(filter, page);
  const idsOf = (type: string) => [...new Set(entries.filter((entry) => entry.targetType === type).map((entry) => entry.targetId))];
  const [users, purchases] = await Promise.all([
    db().user.findMany({ where: { id: { in: idsOf("user") } }, select: { id: true, email: true } }),
    db().purchase.findMany({ where: { id: { in: idsOf("purchase") } }, select: { id: true, amountMinor: true, currency: true, user: { select: { id: true, email: true } } } }),
  ]);
  const usersById = new Map(users.map((user) => [user.id, user]));
  const purchasesById = new Map(purchases.map((purchase) => [purchase.id, purchase]));
  return {
    entries: entries.map((entry) => describe(entry, usersById, purchasesById)),
    nextCursor,
  };
}

function describe(entry: AdminAuditEntry, users: Map<string, Person>, purchases: Map<string, PurchaseOf>): AuditEntryView {
  const details: Details = entry.details !== null && typeof entry.details === "object" && !Array.isArray(entry.details) ? entry.details : {};
  const purchase = entry.targetType === "purchase" ? purchases.get(entry.targetId) : undefined;
  return {
    id: entry.id,
    createdAt: entry.createdAt,
    adminEmail: entry.adminEmail,
    action: entry.action,
    actionLabel: AUDIT_ACTION_LABELS[entry.action],
    summary: summaryOf(entry.action, details, purchase),
    subject: subjectOf(entry, details, users, purchase),
    reason: entry.reason,
    details: entry.details,
  };
}

function subjectOf(entry: AdminAuditEntry, details: Details, users: Map<string, Person>, purchase: PurchaseOf | undefined): AuditEntryView["subject"] {
  switch (entry.targetType) {
    case "user": {
      const user = users.get(entry.targetId);
      return user ? personLink(user) : { label: `User ${entry.targetId} (no longer exists)`, href: null };
    }
    case "purchase":
      return purchase ? personLink(purchase.user) : { label: `Purchase ${entry.targetId}`, href: null };
    case "webhook_event":
      return { label: `Webhook event ${text(details.stripeEventId) ?? entry.targetId}`, href: `/admin/webhooks/${encodeURIComponent(entry.targetId)}` };
    case "reconciliation": {
      const [from, to] = entry.targetId.split("..").map((bound) => new Date(bound));
      const valid = from && to && !Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime());
      return { label: valid ? `${formatDateTime(from)} to ${formatDateTime(to)} (UTC)` : entry.targetId, href: null };
    }
    case "export":
      return { label: entry.targetId === "transactions" ? "Entries (CSV)" : entry.targetId, href: null };
    default:
      return { label: `${entry.targetType} ${entry.targetId}`, href: null };
  }
}

function personLink(person: Person): AuditEntryView["subject"] {
  return { label: person.email, href: `/admin/users/${encodeURIComponent(person.id)}` };
}

function summaryOf(action: AdminAction, details: Details, purchase: PurchaseOf | undefined): string {
  const currency = text(details.currency) ?? purchase?.currency ?? null;
  const money = (value: Prisma.JsonValue | undefined) => {
    const minor = whole(value);
    return minor === null || !currency ? null : formatMoney(minor, currency);
  };
  const balanceAfter = money(details.balanceAfterMinor);
  const after = balanceAfter ? `; balance after: ${balanceAfter}` : "";
  switch (action) {
    case "ADJUSTMENT": {
      const minor = whole(details.amountMinor);
      if (minor === null || !currency) return "Adjusted the balance";
      return `${minor < 0 ? "Debited" : "Credited"} ${formatMoney(Math.abs(minor), currency)}${after}`;
    }
    case "REFUND": {
      const amount = money(details.amountMinor);
      const of = purchase ? ` of a ${formatMoney(purchase.amountMinor, purchase.currency)} top-up` : "";
      return `${amount ? `Refunded ${amount}` : "Refunded"}${of}${details.beyondUnspent === true ? ", beyond its unspent credit" : ""}`;
    }
    case "REFUND_REFUSED": {
      const amount = money(details.amountMinor);
      const why = text(details.message);
      const verb = details.outcome === "failed" ? "Could not make" : "Refused";
      return `${verb} a refund${amount ? ` of ${amount}` : ""}${why ? `: ${why}` : ""}`;
    }
    case "GRANT": {
      const amount = money(details.amountMinor);
      const expires = text(details.expiresAt);
      const expiry = expires && !Number.isNaN(new Date(expires).getTime()) ? `, expiring ${formatDateTime(new Date(expires))} UTC` : "";
      return amount ? `Granted ${amount} of promotional credit${expiry}${after}` : "Granted promotional credit";
    }
    case "VOID": {
      const amount = money(details.amountMinor);
      return amount ? `Voided ${amount} of promotional credit${after}` : "Voided a promotional grant";
    }
    case "REPLAY": {
      const type = text(details.type);
      const event = text(details.stripeEventId);
      const outcome = text(details.outcome);
      return `Replayed ${type ?? "an event"}${event ? ` (${event})` : ""}${outcome ? `: ${outcome}` : ""}${details.bulk === true ? ", in a bulk replay" : ""}`;
    }
    case "BACKFILL": {
      const fetched = whole(details.fetched);
      if (fetched === null) return "Backfilled events from Stripe";
      const parts = [`${whole(details.stored) ?? 0} new`, `${whole(details.processed) ?? 0} applied`];
      const error = text(details.error);
      return `Fetched ${countOf(fetched, "event")} from Stripe: ${parts.join(", ")}${error ? `; stopped: ${error}` : ""}`;
    }
    case "EXPORT": {
      const rows = whole(details.rowCount);
      return rows === null ? "Exported entries" : `Exported ${countOf(rows, "ledger entry", "ledger entries")}`;
    }
  }
}

function text(value: Prisma.JsonValue | undefined): string | null {
  return typeof value === "string" && value.trim() ? value : null;
}

function whole(value: Prisma.JsonValue | undefined): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}
