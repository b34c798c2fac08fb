import type { NextInvoice } from "@/lib/billing";
import { formatDate } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

// "Next invoice" on /billing: what Stripe will charge next and when (lib/billing/next-invoice.ts), or a
// plain sentence when there is nothing to show. Rendered inside a Suspense boundary: the rest of the
// page never waits for Stripe's answer, and a failed answer is a sentence, never an error page.

function Card({ children, busy = false }: { children: React.ReactNode; busy?: boolean }) {
  return (
    <section aria-labelledby="next-invoice-heading" aria-busy={busy || undefined} data-testid="next-invoice" className="space-y-1 rounded-lg border border-slate-200 bg-white px-6 py-4 shadow-sm">
      <h2 id="next-invoice-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">
        Next invoice
      </h2>
      {children}
    </section>
  );
}

export function NextInvoiceSummary({ next }: { next: NextInvoice }) {
  if (next.kind === "unavailable") {
    return (
      <Card>
        <p className="text-slate-600">We couldn&apos;t get your next invoice from Stripe just now. Your plan and invoices below are up to date.</p>
      </Card>
    );
  }
  if (next.kind === "none") {
    return (
      <Card>
        <p className="text-slate-600">No invoice is coming: your plan ends with this billing period.</p>
      </Card>
    );
  }
  return (
    <Card>
      <p className="text-slate-800">
        <span data-testid="next-invoice-amount" className="text-2xl font-semibold tabular-nums">
          {formatMoney(next.amountDueMinor, next.currency)}
        </span>{" "}
        on <span data-testid="next-invoice-date">{formatDate(next.on)}</span>
      </p>
      {next.creditAppliedMinor > 0 && (
        <p className="text-sm text-slate-600">
          {formatMoney(next.totalMinor, next.currency)}, less {formatMoney(next.creditAppliedMinor, next.currency)} of account credit.
        </p>
      )}
    </Card>
  );
}

export function NextInvoiceLoading() {
  return (
    <Card busy>
      <p className="text-slate-500">Checking with Stripe…</p>
    </Card>
  );
}
