import { csvStream, spreadsheetText } from "../csv";
import { db } from "../db";
import { minorToDecimalString } from "../money";
import { recordAdminAction, type AuditActor } from "./audit";
import { transactionFilterParams, type TransactionFilter } from "./transaction-filters";
import { EXPORT_BATCH_SIZE, transactionBatches, type AdminTransaction } from "./transaction-query";
import { getTransactionTotals } from "./transaction-totals";

// The admin's CSV download of ledger entries, streamed batch by batch and audited before it starts.

export const TRANSACTIONS_CSV_HEADER = [
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
export function transactionCsvRecord(entry: AdminTransaction): string[] {
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

async function* transactionCsvRecords(filter: TransactionFilter, batchSize: number): AsyncGenerator<string[]> {
  for await (const batch of transactionBatches(filter, batchSize)) {
    for (const entry of batch) yield transactionCsvRecord(entry);
  }
}

/**
 * The filter's entries as a CSV byte stream (header first, even when nothing matches), pulled batch by
 * batch as the download is read (lib/csv.ts csvStream). Batches are separate keyset queries (no
 * transaction held open), so an export of millions of rows never pins a connection; entries written
 * meanwhile, newer than the export's first row, are not in it.
 */
export function transactionsCsvStream(filter: TransactionFilter, batchSize = EXPORT_BATCH_SIZE): ReadableStream<Uint8Array> {
  return csvStream(TRANSACTIONS_CSV_HEADER, transactionCsvRecords(filter, batchSize), "transactions_export_failed");
}

/** The export's file name for a download made at `now`: billfold-transactions-2026-11-24.csv. */
export function transactionsExportFileName(now = new Date()): string {
  return `billfold-transactions-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The admin's CSV download of users' ledger entries, audited before a byte is sent (action EXPORT):
 * who, the filter (as the API's query string names it) and how many entries it selected then, from
 * the same aggregate as the page's totals, which costs less than the export itself. Entries written
 * while the download runs are not counted, as they are not in it.
 */
export async function exportTransactionsCsv(admin: AuditActor, filter: TransactionFilter, now = new Date()): Promise<{ stream: ReadableStream<Uint8Array>; fileName: string }> {
  const rowCount = (await getTransactionTotals(filter)).reduce((sum, totals) => sum + totals.count, 0);
  await recordAdminAction(db(), admin, {
    action: "EXPORT",
    targetType: "export",
    targetId: "transactions",
    details: { filter: Object.fromEntries(transactionFilterParams(filter)), rowCount },
  });
  return { stream: transactionsCsvStream(filter), fileName: transactionsExportFileName(now) };
}
