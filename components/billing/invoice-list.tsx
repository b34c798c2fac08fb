import { DataTable, EmptyState } from "@/components/data-table";
import { StatusBadge, type StatusTone } from "@/components/status-badge";
import type { InvoiceView } from "@/lib/billing/queries";
import { formatDate } from "@/lib/format";
import { formatMoney } from "@/lib/money";

const INVOICE_TONES: Record<string, StatusTone> = { paid: "success", open: "warning", draft: "neutral", void: "neutral", uncollectible: "danger" };

const COLUMNS = [{ label: "Date" }, { label: "Invoice" }, { label: "Period" }, { label: "Amount", numeric: true }, { label: "Status" }, { label: "Links" }];

export function InvoiceList({ invoices }: { invoices: InvoiceView[] }) {
  if (invoices.length === 0) {
    return <EmptyState title="No invoices yet">Your plan&apos;s invoices will appear here after its first payment.</EmptyState>;
  }
  return (
    <DataTable label="Invoices" columns={COLUMNS}>
      {invoices.map((invoice) => (
        <tr key={invoice.id} data-testid="invoice-row">
          <td className="whitespace-nowrap px-3 py-2 text-slate-600">
            <time dateTime={invoice.createdAt.toISOString()}>{formatDate(invoice.createdAt)}</time>
          </td>
          <td className="px-3 py-2 font-mono text-xs">{invoice.number ?? "—"}</td>
          <td className="whitespace-nowrap px-3 py-2 text-slate-600">
            {invoice.periodStart && invoice.periodEnd ? `${formatDate(invoice.periodStart)} – ${formatDate(invoice.periodEnd)}` : "—"}
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(invoice.totalMinor, invoice.currency)}</td>
          <td className="px-3 py-2">
            <StatusBadge tone={INVOICE_TONES[invoice.status] ?? "neutral"}>{invoice.status.replaceAll("_", " ")}</StatusBadge>
          </td>
          <td className="whitespace-nowrap px-3 py-2">
            <span className="flex gap-3">
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
              {!invoice.hostedInvoiceUrl && !invoice.invoicePdfUrl && "—"}
            </span>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
