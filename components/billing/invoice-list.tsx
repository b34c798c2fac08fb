import { DataTable, EmptyState } from "@/components/data-table";
import { StatusBadge, type StatusTone } from "@/components/status-badge";
import type { InvoiceView } from "@/lib/billing";
import { formatDate } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

const INVOICE_TONES: Record<string, StatusTone> = { paid: "success", open: "warning", draft: "neutral", void: "neutral", uncollectible: "danger" };

const COLUMNS = [{ label: "Date" }, { label: "Invoice" }, { label: "Period" }, { label: "Amount", numeric: true }, { label: "Status" }, { label: "Links" }];

function InvoiceStatus({ invoice }: { invoice: InvoiceView }) {
  return <StatusBadge tone={INVOICE_TONES[invoice.status] ?? "neutral"}>{invoice.status.replaceAll("_", " ")}</StatusBadge>;
}

function InvoicePeriod({ invoice }: { invoice: InvoiceView }) {
  return invoice.periodStart && invoice.periodEnd ? `${formatDate(invoice.periodStart)} – ${formatDate(invoice.periodEnd)}` : "—";
}

/** Stripe's page and PDF of the invoice; the hidden words tell a screen reader which invoice, and that the link leaves Billfold. */
function InvoiceLinks({ invoice }: { invoice: InvoiceView }) {
  if (!invoice.hostedInvoiceUrl && !invoice.invoicePdfUrl) return "—";
  return (
    <span className="flex flex-wrap gap-3">
      {invoice.hostedInvoiceUrl && (
        <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noopener noreferrer" className="text-indigo-700 underline">
          View<span className="sr-only"> invoice {invoice.number ?? ""} (opens Stripe)</span>
        </a>
      )}
      {invoice.invoicePdfUrl && (
        <a href={invoice.invoicePdfUrl} target="_blank" rel="noopener noreferrer" className="text-indigo-700 underline">
          PDF<span className="sr-only"> of invoice {invoice.number ?? ""}</span>
        </a>
      )}
    </span>
  );
}

// Below 640 px each invoice is a card (as the wallet's entry list and purchases are), so its amount,
// status and links are on screen at 390 px without scrolling sideways; wider, the table.
export function InvoiceList({ invoices }: { invoices: InvoiceView[] }) {
  if (invoices.length === 0) {
    return <EmptyState title="No invoices yet">Your plan&apos;s invoices will appear here after its first payment.</EmptyState>;
  }
  return (
    <div>
      <ol aria-label="Invoices" className="space-y-2 sm:hidden">
        {invoices.map((invoice) => (
          <li key={invoice.id} data-testid="invoice-card" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
              <p className="font-semibold tabular-nums">{formatMoney(invoice.totalMinor, invoice.currency)}</p>
              <InvoiceStatus invoice={invoice} />
            </div>
            <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1">
              <div>
                <dt className="text-xs text-slate-500">Date</dt>
                <dd>
                  <time dateTime={invoice.createdAt.toISOString()}>{formatDate(invoice.createdAt)}</time>
                </dd>
              </div>
              <div className="text-right">
                <dt className="text-xs text-slate-500">Invoice</dt>
                <dd className="break-all font-mono text-xs">{invoice.number ?? "—"}</dd>
              </div>
              <div className="col-span-2">
                <dt className="text-xs text-slate-500">Period</dt>
                <dd>
                  <InvoicePeriod invoice={invoice} />
                </dd>
              </div>
            </dl>
            <div className="mt-2">
              <InvoiceLinks invoice={invoice} />
            </div>
          </li>
        ))}
      </ol>
      <div className="hidden sm:block">
        <DataTable label="Invoices" columns={COLUMNS}>
          {invoices.map((invoice) => (
            <tr key={invoice.id} data-testid="invoice-row">
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                <time dateTime={invoice.createdAt.toISOString()}>{formatDate(invoice.createdAt)}</time>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{invoice.number ?? "—"}</td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                <InvoicePeriod invoice={invoice} />
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(invoice.totalMinor, invoice.currency)}</td>
              <td className="px-3 py-2">
                <InvoiceStatus invoice={invoice} />
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                <InvoiceLinks invoice={invoice} />
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
    </div>
  );
}
