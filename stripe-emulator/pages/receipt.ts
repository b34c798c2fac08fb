// The hosted receipt page of a charge (`receipt_url`), as Stripe keeps it: who was paid, the amount,
// the date, the payment method, and any refunds since (Stripe's page follows the charge's latest state).
import type Stripe from "stripe";
import { escapeHtml, formatDate, formatMoney, page } from "./html";

function paymentMethodOf(charge: Stripe.Charge): string {
  const details = charge.payment_method_details;
  if (details?.card) return `${details.card.brand ?? "card"} – ${details.card.last4 ?? "????"}`;
  return details?.type ?? "—";
}

export function renderReceiptPage(charge: Stripe.Charge): string {
  const merchant = charge.calculated_statement_descriptor ?? "the merchant";
  const refunded = charge.amount_refunded > 0
    ? `<tr><td>Refunded</td><td class="amount" data-testid="receipt-refunded">−${formatMoney(charge.amount_refunded, charge.currency)}</td></tr>`
    : "";
  const body = `<h1>Receipt from ${escapeHtml(merchant)}</h1>
<p class="muted">Receipt for charge ${escapeHtml(charge.id)}${charge.receipt_number ? ` · #${escapeHtml(charge.receipt_number)}` : ""}</p>
<table>
<tr><td>Amount paid</td><td class="amount" data-testid="receipt-amount">${formatMoney(charge.amount_captured, charge.currency)}</td></tr>
<tr><td>Date paid</td><td class="amount">${formatDate(charge.created)}</td></tr>
<tr><td>Payment method</td><td class="amount" data-testid="receipt-payment-method">${escapeHtml(paymentMethodOf(charge))}</td></tr>
${refunded}
</table>
${charge.description ? `<p>${escapeHtml(charge.description)}</p>` : ""}`;
  return page(`Receipt from ${merchant}`, body);
}
