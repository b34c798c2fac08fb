import type { ReactNode } from "react";
import { StatusBadge } from "@/components/status-badge";
import { formatDateTime } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";
import { formatRate, type Receipt } from "@/lib/payments/receipts";

/** A receipt as it reads on screen and on paper: seller, payment, references, VAT, and what happened since. */
export function ReceiptDocument({ receipt }: { receipt: Receipt }) {
  const money = (amountMinor: number) => formatMoney(amountMinor, receipt.currency);
  const { business, vat } = receipt;
  return (
    <article
      aria-labelledby="receipt-heading"
      data-testid="receipt"
      className="space-y-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8 print:border-0 print:p-0 print:shadow-none"
    >
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 pb-6">
        <div>
          <p data-testid="receipt-business-name" className="text-lg font-semibold">{business.name}</p>
          {business.addressLines.length > 0 && (
            <address className="mt-1 text-sm not-italic text-slate-600">
              {business.addressLines.map((line) => (
                <span key={line} className="block">{line}</span>
              ))}
            </address>
          )}
          {business.vatNumber && <p className="mt-1 text-sm text-slate-600">VAT registration number: {business.vatNumber}</p>}
        </div>
        <div className="text-right">
          <h1 id="receipt-heading" className="text-2xl font-semibold">Receipt</h1>
          <p className="mt-1"><StatusBadge tone={receipt.status.tone}>{receipt.status.label}</StatusBadge></p>
        </div>
      </header>

      <section aria-labelledby="receipt-amount-label">
        <p id="receipt-amount-label" className="text-sm font-medium uppercase tracking-wide text-slate-500">Amount paid</p>
        <p data-testid="receipt-amount" className="mt-1 text-4xl font-bold tabular-nums">{money(receipt.amountMinor)}</p>
      </section>

      <section aria-labelledby="receipt-details-heading">
        <h2 id="receipt-details-heading" className="sr-only">Payment details</h2>
        <dl className="grid gap-x-8 gap-y-4 text-sm sm:grid-cols-2">
          <Detail label="Date paid">
            <time dateTime={receipt.paidAt.toISOString()}>{formatDateTime(receipt.paidAt)} UTC</time>
          </Detail>
          <Detail label="Payment method" testId="receipt-payment-method">
            {receipt.paymentMethod ?? <span className="text-slate-500">Not yet confirmed by Stripe</span>}
          </Detail>
          <Detail label="For">{receipt.description}</Detail>
          <Detail label="Receipt number" testId="receipt-number">
            <span className="break-all font-mono">{receipt.purchaseId}</span>
          </Detail>
          {receipt.paymentIntentId && (
            <Detail label="Stripe payment reference" testId="receipt-payment-reference">
              <span className="break-all font-mono">{receipt.paymentIntentId}</span>
            </Detail>
          )}
          {receipt.chargeId && (
            <Detail label="Stripe charge">
              <span className="break-all font-mono">{receipt.chargeId}</span>
            </Detail>
          )}
        </dl>
      </section>

      <section aria-labelledby="receipt-summary-heading">
        <h2 id="receipt-summary-heading" className="text-base font-semibold">Summary</h2>
        <table className="mt-2 w-full text-sm">
          <tbody className="divide-y divide-slate-200">
            <tr>
              <th scope="row" className="py-2 text-left font-normal">{receipt.description}</th>
              <td className="py-2 text-right tabular-nums">{money(receipt.amountMinor)}</td>
            </tr>
            {vat && (
              <>
                <tr>
                  <th scope="row" className="py-2 text-left font-normal">Subtotal before VAT</th>
                  <td className="py-2 text-right tabular-nums">{money(vat.netMinor)}</td>
                </tr>
                <tr data-testid="receipt-vat">
                  <th scope="row" className="py-2 text-left font-normal">VAT at {formatRate(vat.rateBasisPoints)} (included)</th>
                  <td className="py-2 text-right tabular-nums">{money(vat.vatMinor)}</td>
                </tr>
              </>
            )}
            <tr>
              <th scope="row" className="py-2 text-left font-semibold">Total paid</th>
              <td className="py-2 text-right font-semibold tabular-nums">{money(receipt.amountMinor)}</td>
            </tr>
          </tbody>
        </table>
      </section>

      {receipt.afterPayment.length > 0 && (
        <section aria-labelledby="receipt-after-heading" data-testid="receipt-after-payment" className="rounded border border-amber-300 bg-amber-50 p-4 text-sm">
          <h2 id="receipt-after-heading" className="font-semibold">Since this payment</h2>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {receipt.afterPayment.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

function Detail({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt className="font-medium text-slate-500">{label}</dt>
      <dd data-testid={testId} className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
