import { csvStream, spreadsheetText } from "../core/csv";
import { db } from "../core/db";
import { minorToDecimalString } from "../core/money";
import { recordAdminAction, type AuditActor } from "./audit";
import { adminEntryFilterParams, type AdminEntryFilter } from "./entry-filters";
import { EXPORT_BATCH_SIZE, adminEntryBatches, type AdminEntry } from "./entry-query";
import { getAdminEntryTotals } from "./entry-totals";

// The admin's CSV download of ledger entries, streamed batch by batch and audited before it starts.

export const ADMIN_ENTRIES_CSV_HEADER = [
  "Date (UTC)",
  "Entry id",
  "User id",
  "Email",
  "Type",
  "Currency",
  "Amount",
  "Amount (minor units)",
  "Balance after",
  "Balance after (minor units)",
  "Stripe reference",
  "Description",
  "Created by admin",
] as const;

/** One entry as a CSV record: amounts exact in major units and as the integer; free text defused for spreadsheets. */
export function adminEntryCsvRecord(entry: AdminEntry): string[] {
  return [
    entry.createdAt.toISOString(),
    entry.id,
    entry.userId,
    spreadsheetText(entry.email),
    entry.type,
    entry.currency,
    minorToDecimalString(entry.amountMinor, entry.currency),
    String(entry.amountMinor),
    minorToDecimalString(entry.balanceAfterMinor, entry.currency),
    String(entry.balanceAfterMinor),
    spreadsheetText(entry.stripeObjectId ?? ""),
    spreadsheetText(entry.description ?? ""),
    entry.createdByAdminId ?? "",
  ];
}

async function* adminEntryCsvRecords(filter: AdminEntryFilter, batchSize: number): AsyncGenerator<string[]> {
  for await (const batch of adminEntryBatches(filter, batchSize)) {
    for (const entry of batch) yield adminEntryCsvRecord(entry);
  }
}

/**
 * The filter's entries as a CSV byte stream (header first, even when nothing matches), pulled batch by
 * batch as the download is read (lib/core/csv.ts csvStream). Batches are separate keyset queries (no
 * transaction held open), so an export of millions of rows never pins a connection; entries written
 * meanwhile, newer than the export's first row, are not in it.
 */
export function adminEntriesCsvStream(filter: AdminEntryFilter, batchSize = EXPORT_BATCH_SIZE): ReadableStream<Uint8Array> {
  return csvStream(ADMIN_ENTRIES_CSV_HEADER, adminEntryCsvRecords(filter, batchSize), "entries_export_failed");
}

/** The export's file name for a download made at `now`: billfold-entries-2026-11-24.csv. */
export function adminEntriesExportFileName(now = new Date()): string {
  return `billfold-entries-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The admin's CSV download of users' ledger entries, audited before a byte is sent (action EXPORT):
 * who, the filter (as the API's query string names it) and how many entries it selected then, from
 * the same aggregate as the page's totals, which costs less than the export itself. Entries written
 * while the download runs are not counted, as they are not in it.
 */
export async function exportAdminEntriesCsv(admin: AuditActor, filter: AdminEntryFilter, now = new Date()): Promise<{ stream: ReadableStream<Uint8Array>; fileName: string }> {
  const rowCount = (await getAdminEntryTotals(filter)).reduce((sum, totals) => sum + totals.count, 0);
  await recordAdminAction(db(), admin, {
    action: "EXPORT",
    targetType: "export",
    targetId: "transactions",
    details: { filter: Object.fromEntries(adminEntryFilterParams(filter)), rowCount },
  });
  return { stream: adminEntriesCsvStream(filter), fileName: adminEntriesExportFileName(now) };
}
