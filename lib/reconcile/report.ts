import { countOf } from "../core/format";
import { formatMoney } from "../core/money";
import { isClean, type Discrepancy, type ReconciliationReport } from "./reconcile";

// The report as text, for `npm run reconcile` and its cron mail: one line per discrepancy.

function amount(amountMinor: number | null, currency: string): string {
  return amountMinor === null || !currency ? "—" : formatMoney(amountMinor, currency);
}

function line(row: Discrepancy): string {
  const user = row.userEmail ?? row.userId ?? "unknown user";
  return `  ${row.type.padEnd(15)} ${row.stripeObjectId}  ${user}  Stripe ${amount(row.expectedMinor, row.currency)}, ledger ${amount(row.actualMinor, row.currency)}  ${row.reason}`;
}

export function formatReport(report: ReconciliationReport): string {
  const { checked } = report;
  const lines = [
    `Reconciliation ${report.range.from.toISOString()} .. ${report.range.to.toISOString()}`,
    `Checked ${countOf(checked.checkoutSessions, "paid top-up session")} (${countOf(checked.charges, "charge")}), ${countOf(checked.refunds, "refund")}, ${countOf(checked.disputes, "dispute")}; ${countOf(checked.ledgerEntries, "ledger entry", "ledger entries")}; ${countOf(checked.fetchedById, "object")} fetched by id.`,
  ];
  if (isClean(report)) {
    lines.push("Stripe and the ledger agree for this range.");
    return lines.join("\n");
  }
  for (const [title, rows] of [["Missing (Stripe has it, the ledger does not)", report.missing], ["Extra (the ledger has it, Stripe does not)", report.extra], ["Mismatched", report.mismatched]] as const) {
    if (rows.length === 0) continue;
    lines.push(`${title}: ${rows.length}`, ...rows.map(line));
  }
  return lines.join("\n");
}
