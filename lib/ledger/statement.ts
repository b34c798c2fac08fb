import { csvStream, spreadsheetText } from "../core/csv";
import { minorToDecimalString } from "../core/money";
import { ENTRY_LABELS } from "./labels";
import { walletEntryBatches, STATEMENT_BATCH_SIZE, type LedgerEntryView, type WalletEntryFilter } from "./queries";

// The wallet statement: the entries of the user's own wallet that the entry list's filter selects, in
// the entry list's order (newest first), so the file has exactly the rows the filtered table shows, one
// for one. Types read as on the page; amounts are written in major units from the integer minor units
// (minorToDecimalString), so the file adds up to the penny.

export const STATEMENT_HEADER = ["Date (UTC)", "Type", "Description", "Amount", "Balance after", "Currency", "Reference"] as const;

/** One entry as a statement record; free text defused for spreadsheets, amounts exact. */
export function statementRecord(entry: LedgerEntryView, currency: string): string[] {
  return [
    entry.createdAt.toISOString(),
    ENTRY_LABELS[entry.type],
    spreadsheetText(entry.description ?? ""),
    minorToDecimalString(entry.amountMinor, currency),
    minorToDecimalString(entry.balanceAfterMinor, currency),
    currency,
    spreadsheetText(entry.stripeObjectId ?? ""),
  ];
}

async function* statementRecords(userId: string, currency: string, filter: WalletEntryFilter, batchSize: number): AsyncGenerator<string[]> {
  for await (const batch of walletEntryBatches(userId, currency, filter, batchSize)) {
    for (const entry of batch) yield statementRecord(entry, currency);
  }
}

/**
 * The statement of `userId`'s wallet in `currency` as a CSV byte stream (the header alone before the
 * wallet exists or when nothing matches), read batch by batch as the download is read. Each batch is
 * a keyset query of its own (no transaction held open); entries written during the download are newer
 * than its first row and so are not in it.
 */
export function statementCsvStream(userId: string, currency: string, filter: WalletEntryFilter, batchSize = STATEMENT_BATCH_SIZE): ReadableStream<Uint8Array> {
  return csvStream(STATEMENT_HEADER, statementRecords(userId, currency, filter, batchSize), "statement_export_failed");
}

/** The statement file's name for a download made at `now`: billfold-statement-2026-11-24.csv. */
export function statementFileName(now = new Date()): string {
  return `billfold-statement-${now.toISOString().slice(0, 10)}.csv`;
}
