import { toCsv, spreadsheetText } from "../csv";
import { db } from "../db";
import { minorToDecimalString } from "../money";
import type { LedgerEntryView } from "./queries";

// The wallet statement: every ledger entry, oldest first, as CSV. Amounts are written in major units
// from the integer minor units (minorToDecimalString), so the file adds up to the penny.

export const STATEMENT_HEADER = ["Date (UTC)", "Type", "Description", "Amount", "Balance after", "Currency"] as const;

type StatementEntry = Pick<LedgerEntryView, "type" | "amountMinor" | "balanceAfterMinor" | "description" | "createdAt">;

/** Every entry of the user's wallet in `currency`, oldest first; none before the wallet exists. */
export async function listStatementEntries(userId: string, currency: string): Promise<StatementEntry[]> {
  return db().ledgerEntry.findMany({
    where: { wallet: { userId, currency } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { type: true, amountMinor: true, balanceAfterMinor: true, description: true, createdAt: true },
  });
}

export function statementCsv(entries: StatementEntry[], currency: string): string {
  return toCsv([
    STATEMENT_HEADER,
    ...entries.map((entry) => [
      entry.createdAt.toISOString(),
      entry.type,
      spreadsheetText(entry.description ?? ""),
      minorToDecimalString(entry.amountMinor, currency),
      minorToDecimalString(entry.balanceAfterMinor, currency),
      currency,
    ]),
  ]);
}

/** The statement file's name for a download made at `now`: billfold-statement-2026-11-24.csv. */
export function statementFileName(now = new Date()): string {
  return `billfold-statement-${now.toISOString().slice(0, 10)}.csv`;
}
