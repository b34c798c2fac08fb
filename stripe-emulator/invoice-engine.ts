// Invoices as Stripe runs them: draft → open (finalize) → paid, or a failed attempt
// that leaves the invoice open. State changes happen first; the events are emitted
// afterwards from snapshots, so each event shows the invoice as it was at that step.
import Stripe from "stripe";
import type { Emulator, RequestContext } from "./emulator";
import { invalidState, StripeApiError } from "./errors";
import { newId } from "./ids";
import { jsonClone } from "./json";
import { attemptPayment, createPaymentIntentRecord, emitPaymentOutcome, type PaymentAttempt } from "./payments";

export interface InvoiceLineSpec {
  amount: number;
  quantity: number;
  description: string;
  price: Stripe.Price | null;
  period: { start: number; end: number };
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  invoiceItemId: string | null;
}

export function createDraftInvoice(
  emulator: Emulator,
  fields: {
    customer: Stripe.Customer;
    currency: string;
    subscription: Stripe.Subscription | null;
    billingReason: Stripe.Invoice.BillingReason;
    lines: InvoiceLineSpec[];
    description: string | null;
    periodStart: number;
    periodEnd: number;
    metadata?: Stripe.Metadata;
    now: number;
  },
): Stripe.Invoice {
  const id = newId("in");
  const total = fields.lines.reduce((sum, line) => sum + line.amount, 0);
  const lines: Stripe.InvoiceLineItem[] = fields.lines.map((line) => ({
    id: newId("il"),
    object: "line_item",
    amount: line.amount,
    currency: fields.currency,
    description: line.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: id,
    livemode: false,
    metadata: {},
    parent: line.subscriptionItemId
      ? {
          type: "subscription_item_details",
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: { credited_items: null },
            subscription: line.subscriptionId,
            subscription_item: line.subscriptionItemId,
          },
        }
      : {
          type: "invoice_item_details",
          subscription_item_details: null,
          invoice_item_details: {
            invoice_item: line.invoiceItemId ?? "",
            proration: false,
            proration_details: { credited_items: null },
            subscription: line.subscriptionId,
          },
        },
    period: line.period,
    pretax_credit_amounts: [],
    pricing: line.price
      ? {
          type: "price_details",
          price_details: { price: line.price.id, product: typeof line.price.product === "string" ? line.price.product : line.price.product.id },
          unit_amount_decimal: Stripe.Decimal.from(line.price.unit_amount ?? 0),
        }
      : null,
    quantity: line.quantity,
    quantity_decimal: Stripe.Decimal.from(line.quantity),
    subscription: line.subscriptionId,
    subtotal: line.amount,
    taxes: [],
  }));
  const customer = fields.customer;
  const invoice = {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Billfold (local emulator)",
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: fields.billingReason,
    collection_method: "charge_automatically",
    created: fields.now,
    currency: fields.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ?? null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: fields.description,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: fields.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: fields.subscription
      ? {
          type: "subscription_details",
          quote_details: null,
          subscription_details: { metadata: fields.subscription.metadata, subscription: fields.subscription.id },
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: fields.periodEnd,
    period_start: fields.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: customer.test_clock ?? null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  } satisfies Stripe.Invoice;
  emulator.state.invoices[invoice.id] = invoice;
  return invoice;
}

export function finalizeInvoiceState(emulator: Emulator, invoice: Stripe.Invoice, now: number): void {
  if (invoice.status !== "draft") throw invalidState(`This invoice is already finalized (status: ${invoice.status}).`, "invoice_not_editable");
  const customerId = typeof invoice.customer === "string" ? invoice.customer : invoice.customer?.id;
  const customer = customerId ? emulator.state.customers[customerId] : undefined;
  const sequence = customer?.next_invoice_sequence ?? 1;
  if (customer) customer.next_invoice_sequence = sequence + 1;
  invoice.number = `${customer?.invoice_prefix ?? "EMU"}-${String(sequence).padStart(4, "0")}`;
  invoice.status = "open";
  invoice.effective_at = now;
  invoice.status_transitions.finalized_at = now;
  invoice.hosted_invoice_url = `${emulator.config.baseUrl}/invoices/${invoice.id}`;
  invoice.invoice_pdf = `${emulator.config.baseUrl}/invoices/${invoice.id}/pdf`;
  if (invoice.amount_due === 0) markInvoicePaid(invoice, now);
}

function markInvoicePaid(invoice: Stripe.Invoice, now: number): void {
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.status_transitions.paid_at = now;
  invoice.ending_balance = 0;
  invoice.next_payment_attempt = null;
}

/** The outcome of trying to collect an open invoice, with snapshots for its events. */
export interface InvoicePaymentRun {
  invoice: Stripe.Invoice;
  attempt: PaymentAttempt | null;
  /** Set when the invoice could not be collected (declined, or no payment method). */
  error: StripeApiError | null;
}

function customerPaymentMethod(emulator: Emulator, invoice: Stripe.Invoice, explicit: Stripe.PaymentMethod | undefined): Stripe.PaymentMethod | undefined {
  if (explicit) return explicit;
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = typeof subscriptionId === "string" ? emulator.state.subscriptions[subscriptionId] : undefined;
  const fromSubscription = typeof subscription?.default_payment_method === "string" ? subscription.default_payment_method : undefined;
  const customerId = typeof invoice.customer === "string" ? invoice.customer : undefined;
  const customer = customerId ? emulator.state.customers[customerId] : undefined;
  const fromCustomer = customer?.invoice_settings.default_payment_method;
  const id = fromSubscription ?? (typeof fromCustomer === "string" ? fromCustomer : fromCustomer?.id);
  if (id) return emulator.state.paymentMethods[id];
  return Object.values(emulator.state.paymentMethods).find((pm) => pm.customer === customerId);
}

/** Try to collect an open invoice with the given, subscription or customer default payment method. */
export function collectInvoice(
  emulator: Emulator,
  invoice: Stripe.Invoice,
  now: number,
  options: { paymentMethod?: Stripe.PaymentMethod; offSession: boolean; authenticated?: boolean },
): InvoicePaymentRun {
  if (invoice.status === "paid") return { invoice, attempt: null, error: null };
  if (invoice.status !== "open") throw invalidState(`Invoice is ${invoice.status}, so it cannot be paid.`, "invoice_not_open");
  const paymentMethod = customerPaymentMethod(emulator, invoice, options.paymentMethod);
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (!paymentMethod) {
    const error = new StripeApiError(402, {
      type: "invalid_request_error",
      code: "invoice_no_customer_payment_method",
      message: "This customer has no attached payment source or default payment method.",
    });
    return { invoice, attempt: null, error };
  }
  const paymentIntent = createPaymentIntentRecord(emulator, {
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    customer: typeof invoice.customer === "string" ? invoice.customer : null,
    description: invoice.billing_reason === "subscription_cycle" ? "Subscription update" : "Subscription creation",
    metadata: {},
    paymentMethodTypes: ["card"],
  });
  const attempt = attemptPayment(emulator, paymentIntent, paymentMethod, { offSession: options.offSession, authenticated: options.authenticated });
  const invoicePayment = {
    id: newId("inpay"),
    object: "invoice_payment",
    amount_paid: attempt.kind === "succeeded" ? invoice.amount_remaining : null,
    amount_requested: invoice.amount_remaining,
    created: now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: paymentIntent.id },
    status: attempt.kind === "succeeded" ? "paid" : "open",
    status_transitions: { canceled_at: null, paid_at: attempt.kind === "succeeded" ? now : null },
  } satisfies Stripe.InvoicePayment;
  emulator.state.invoicePayments[invoicePayment.id] = invoicePayment;
  if (attempt.kind === "succeeded") {
    markInvoicePaid(invoice, now);
    return { invoice, attempt, error: null };
  }
  if (attempt.kind === "failed") {
    invoice.next_payment_attempt = now + 3 * 24 * 3600;
    return { invoice, attempt, error: attempt.error };
  }
  const error = new StripeApiError(402, {
    type: "card_error",
    code: "authentication_required",
    decline_code: "authentication_required",
    message: "This payment requires additional user action before it can be completed successfully.",
  });
  return { invoice, attempt, error };
}

/** Emit the payment and invoice events for a collection run, in Stripe's order. */
export function emitCollection(emulator: Emulator, run: InvoicePaymentRun, context: RequestContext): void {
  if (run.attempt) emitPaymentOutcome(emulator, run.attempt, context);
  if (run.invoice.status === "paid") {
    emulator.emit("invoice.paid", run.invoice, context);
    emulator.emit("invoice.payment_succeeded", run.invoice, context);
  } else if (run.error) {
    emulator.emit("invoice.payment_failed", run.invoice, context);
  }
}

/** Snapshot of an invoice for an event emitted later than the state change it describes. */
export function snapshot<T>(value: T): T {
  return jsonClone(value);
}

export function paymentsOfInvoice(emulator: Emulator, invoiceId: string): Stripe.InvoicePayment[] {
  return Object.values(emulator.state.invoicePayments).filter((payment) => payment.invoice === invoiceId);
}
