import { z } from "zod";
import { BackfillButton } from "@/components/admin/backfill-button";
import { DataTable, EmptyState } from "@/components/data-table";
import { FormError } from "@/components/form";
import { AppError } from "@/lib/core/errors";
import { countOf, formatDateTime } from "@/lib/core/format";
import { requireAdmin } from "@/lib/accounts";
import { formatMoney } from "@/lib/core/money";
import { isClean, reconcile, type Discrepancy, type ReconciliationReport } from "@/lib/reconcile";
import { lastDays, reconcileRangeSchema, toFormValue } from "@/lib/reconcile";

export const metadata = { title: "Reconcile · Admin" };

const DEFAULT_DAYS = 7;
const COLUMNS = [{ label: "Stripe object" }, { label: "Type" }, { label: "User" }, { label: "Stripe says", numeric: true }, { label: "Ledger says", numeric: true }, { label: "Why" }];

const searchSchema = z.object({
  from: z.string().max(40).optional().catch(undefined),
  to: z.string().max(40).optional().catch(undefined),
});

/** A discrepancy's amount, or a dash where that side has nothing. */
function amount(amountMinor: number | null, currency: string): string {
  return amountMinor === null || !currency ? "—" : formatMoney(amountMinor, currency);
}

function DiscrepancyTable({ title, description, rows }: { title: string; description: string; rows: Discrepancy[] }) {
  if (rows.length === 0) return null;
  return (
    <section className="space-y-2" aria-labelledby={`reconcile-${title}`}>
      <h2 id={`reconcile-${title}`} className="text-lg font-semibold">{title} ({rows.length})</h2>
      <p className="text-sm text-slate-600">{description}</p>
      <DataTable label={title} columns={COLUMNS}>
        {rows.map((row) => (
          <tr key={`${row.idempotencyKey}:${row.reason}`} data-testid="reconcile-row">
            <td className="px-3 py-2"><span className="break-all font-mono text-xs">{row.stripeObjectId}</span></td>
            <td className="px-3 py-2 font-medium">{row.type}</td>
            <td className="px-3 py-2">{row.userEmail ?? row.userId ?? "—"}</td>
            <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{amount(row.expectedMinor, row.currency)}</td>
            <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{amount(row.actualMinor, row.currency)}</td>
            <td className="px-3 py-2 text-slate-700">{row.reason}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function Report({ report }: { report: ReconciliationReport }) {
  const { checked } = report;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600" data-testid="reconcile-checked">
        Checked {countOf(checked.checkoutSessions, "paid top-up session")} ({countOf(checked.charges, "charge")}), {countOf(checked.refunds, "refund")} and {countOf(checked.disputes, "dispute")} at Stripe
        against {countOf(checked.ledgerEntries, "ledger entry", "ledger entries")}{checked.fetchedById > 0 ? ` (${countOf(checked.fetchedById, "Stripe object")} from outside the range fetched by id)` : ""}.
      </p>
      {isClean(report) ? (
        <EmptyState title="Stripe and the ledger agree for this range">Every payment, refund and dispute at Stripe has its ledger entry, with the same amount.</EmptyState>
      ) : (
        <>
          <DiscrepancyTable title="Missing" description="Stripe has these; the ledger does not. Usually a webhook that never arrived: the backfill fetches it from Stripe." rows={report.missing} />
          <DiscrepancyTable title="Extra" description="The ledger has these; Stripe does not know them, or not in a state that moves money." rows={report.extra} />
          <DiscrepancyTable title="Mismatched" description="Both sides have these, with a different amount or currency." rows={report.mismatched} />
        </>
      )}
    </div>
  );
}

export default async function ReconcilePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("/admin/reconcile");
  const query = searchSchema.parse(await searchParams);
  const defaults = lastDays(DEFAULT_DAYS);
  const values = { from: query.from ?? toFormValue(defaults.from), to: query.to ?? toFormValue(defaults.to) };
  const parsed = reconcileRangeSchema.safeParse(values);
  const fieldErrors = parsed.success ? {} : z.flattenError(parsed.error).fieldErrors;

  let report: ReconciliationReport | null = null;
  let failure: string | null = null;
  if (parsed.success) {
    try {
      report = await reconcile(parsed.data);
    } catch (error) {
      // Stripe down or not configured: say so instead of failing the page.
      if (!(error instanceof AppError)) throw error;
      failure = error.message;
    }
  }

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Reconcile</h1>
        <p className="text-sm text-slate-600">
          Compares Stripe with the ledger: paid top-ups (and their charges), refunds and disputes created at Stripe in the range, against the ledger entries they must
          have made; and ledger entries written in the range that Stripe does not know. Plan credit from subscription invoices is not compared. Times are UTC.
        </p>
      </div>
      <form className="flex flex-wrap items-start gap-3 text-sm" method="get" noValidate>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">From (UTC)</span>
          <input type="datetime-local" name="from" defaultValue={values.from} aria-invalid={Boolean(fieldErrors.from)} className="rounded border border-slate-300 px-2 py-1.5" />
          {fieldErrors.from && <span className="text-xs text-red-700">{fieldErrors.from[0]}</span>}
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">To (UTC)</span>
          <input type="datetime-local" name="to" defaultValue={values.to} aria-invalid={Boolean(fieldErrors.to)} className="rounded border border-slate-300 px-2 py-1.5" />
          {fieldErrors.to && <span className="text-xs text-red-700">{fieldErrors.to[0]}</span>}
        </label>
        <button type="submit" className="mt-6 rounded bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Compare</button>
      </form>
      {!parsed.success && <FormError>Fix the range to compare.</FormError>}
      {parsed.success && (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-3">
          <p className="text-sm text-slate-700">
            {formatDateTime(parsed.data.from)} to {formatDateTime(parsed.data.to)}
          </p>
          <BackfillButton from={values.from} to={values.to} />
        </div>
      )}
      {failure && <FormError>{failure}</FormError>}
      {report && <Report report={report} />}
    </div>
  );
}
