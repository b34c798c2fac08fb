// Mirrors the invoice as Stripe holds it now; a paid period invoice grants the plan credit once (lib/billing/invoices.ts).
import type Stripe from "stripe";
import type { WebhookHandler } from "../types";
import { refreshInvoice } from "../../billing";

export const invoicePaid: WebhookHandler<Stripe.InvoicePaidEvent> = {
  isSlow: () => true,
  handle: (event, context) => refreshInvoice(event.data.object, event.type, context),
};
