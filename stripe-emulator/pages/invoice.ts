// The hosted invoice page (`hosted_invoice_url`) and the invoice PDF (`invoice_pdf`) of a finalized
// invoice: number, status, lines, totals; an open invoice can be paid on the page with a test card.
import type Stripe from "stripe";
import { findTestCard } from "../engines/cards";
import type { Emulator, RequestContext } from "../emulator";
import type { FormObject } from "../http/form";
import { collectInvoice, emitCollection } from "../engines/invoice";
import { optionalString } from "../http/params";
import { attachPaymentMethod, createCardPaymentMethod } from "../resources/payment-methods";
import { reactivateAfterPayment, timeForCustomer } from "../engines/subscription";
import { escapeHtml, formatDate, formatMoney, page } from "./html";
import { renderPdf, type PdfLine } from "./pdf";

function customerIdOf(invoice: Stripe.Invoice): string {
  return typeof invoice.customer === "string" ? invoice.customer : (invoice.customer?.id ?? "");
}

function statusLabel(invoice: Stripe.Invoice): string {
  return invoice.status ?? "draft";
}

export function renderInvoicePage(emulator: Emulator, invoice: Stripe.Invoice, message?: string): string {
  const currency = invoice.currency;
  const rows = invoice.lines.data
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description ?? "")}<div class="muted">${formatDate(line.period.start)} – ${formatDate(line.period.end)}</div></td><td class="amount">${formatMoney(line.amount, currency)}</td></tr>`,
    )
    .join("");
  const canPay = invoice.status === "open" && invoice.amount_remaining > 0;
  const payForm = canPay
    ? `<form method="post" action="/invoices/${encodeURIComponent(invoice.id)}/pay">
<label for="card-number">Card number</label>
<input type="text" id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242">
<button type="submit">Pay ${formatMoney(invoice.amount_remaining, currency)}</button>
</form>`
    : "";
  const body = `<h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1>
<p>Status: <strong data-testid="invoice-status">${escapeHtml(statusLabel(invoice))}</strong></p>
<p class="muted">Billed to ${escapeHtml(invoice.customer_email ?? customerIdOf(invoice))}${invoice.status_transitions.finalized_at ? ` · issued ${formatDate(invoice.status_transitions.finalized_at)}` : ""}</p>
<table><thead><tr><th>Description</th><th class="amount">Amount</th></tr></thead><tbody>${rows}</tbody>
<tfoot>
<tr><th>Total</th><th class="amount" data-testid="invoice-total">${formatMoney(invoice.total, currency)}</th></tr>
<tr><td>Amount paid</td><td class="amount">${formatMoney(invoice.amount_paid, currency)}</td></tr>
<tr><td>Amount due</td><td class="amount">${formatMoney(invoice.amount_remaining, currency)}</td></tr>
</tfoot></table>
${invoice.invoice_pdf ? `<a class="button secondary" href="${escapeHtml(invoice.invoice_pdf)}">Download invoice PDF</a>` : ""}
${payForm}
<div role="alert">${message ? escapeHtml(message) : ""}</div>`;
  return page(`Invoice ${invoice.number ?? invoice.id}`, body);
}

export function renderInvoicePdf(emulator: Emulator, invoice: Stripe.Invoice): Buffer {
  const currency = invoice.currency;
  const lines: PdfLine[] = [
    { text: `Invoice ${invoice.number ?? invoice.id}`, size: 20 },
    { text: `Status: ${statusLabel(invoice)}` },
    { text: `Billed to: ${invoice.customer_email ?? customerIdOf(invoice)}` },
    { text: invoice.status_transitions.finalized_at ? `Date of issue: ${formatDate(invoice.status_transitions.finalized_at)}` : "Draft" },
    { text: "" },
    ...invoice.lines.data.map((line) => ({ text: `${line.description ?? ""}    ${formatMoney(line.amount, currency)}` })),
    { text: "" },
    { text: `Total: ${formatMoney(invoice.total, currency)}`, size: 13 },
    { text: `Amount paid: ${formatMoney(invoice.amount_paid, currency)}` },
    { text: `Amount due: ${formatMoney(invoice.amount_remaining, currency)}` },
  ];
  return renderPdf(`Invoice ${invoice.number ?? invoice.id}`, lines, `${emulator.config.brand} Stripe emulator`);
}

/**
 * Pay an open invoice from its hosted page with a test card. Like Stripe's page, the card pays this
 * invoice only: it is attached to the customer but does not become their default payment method.
 */
export function payInvoiceFromPage(emulator: Emulator, invoice: Stripe.Invoice, form: FormObject, context: RequestContext): { status: number; message: string } {
  if (invoice.status !== "open") return { status: 400, message: `This invoice is ${statusLabel(invoice)}.` };
  const card = findTestCard(optionalString(form, "card_number") ?? "");
  if (!card) return { status: 402, message: "Your card number is incorrect." };
  const customerId = customerIdOf(invoice);
  const paymentMethod = attachPaymentMethod(emulator, createCardPaymentMethod(emulator, card), customerId, context);
  const run = collectInvoice(emulator, invoice, timeForCustomer(emulator, customerId), { paymentMethod, offSession: false, authenticated: true });
  emitCollection(emulator, run, context);
  if (run.error) return { status: run.error.status, message: run.error.message };
  reactivateAfterPayment(emulator, invoice, context);
  return { status: 200, message: "Invoice paid. Thank you!" };
}
