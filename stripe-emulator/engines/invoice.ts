// Invoices as Stripe runs them: draft → open (finalize) → paid, or a failed attempt
// that leaves the invoice open. State changes happen first; the events are emitted
// afterwards from snapshots, so each event shows the invoice as it was at that step.
import Stripe from "stripe";
import type { Emulator, RequestContext } from "../emulator";
import { invalidState, StripeApiError } from "../http/errors";
import { newId } from "../http/ids";
import { jsonClone } from "../http/json";
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
  /** A proration line (plan change mid-period); never discountable. */
  proration?: boolean;
  /** For a credit proration: the invoice line that billed the time now credited. */
  creditedItems?: { invoice: string; invoice_line_items: string[] } | null;
}

function productIdOf(price: Stripe.Price): string {
  return typeof price.product === "string" ? price.product : price.product.id;
}

/** Stripe's unit amount on a line: the price's, or for a proration the prorated amount per unit. */
function unitAmountDecimal(line: InvoiceLineSpec): Stripe.Decimal {
  if (!line.proration || line.quantity === 0) return Stripe.Decimal.from(line.price?.unit_amount ?? 0);
  return Stripe.Decimal.from(line.amount).div(Stripe.Decimal.from(line.quantity), 10, "half-even");
}

/**
 * In this API version a line's `parent` says where it came from: a subscription item (its period's charge,
 * or a proration invoice item created for it) or a one-off invoice item.
 */
function lineParent(line: InvoiceLineSpec): Stripe.InvoiceLineItem.Parent {
  const prorationDetails = { credited_items: line.creditedItems ?? null };
  if (line.subscriptionItemId) {
    return {
      type: "subscription_item_details",
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: line.invoiceItemId,
        proration: line.proration ?? false,
        proration_details: prorationDetails,
        subscription: line.subscriptionId,
        subscription_item: line.subscriptionItemId,
      },
    };
  }
  return {
    type: "invoice_item_details",
    subscription_item_details: null,
    invoice_item_details: {
      invoice_item: line.invoiceItemId ?? "",
      proration: line.proration ?? false,
      proration_details: prorationDetails,
      subscription: line.subscriptionId,
    },
  };
}

/** Pending invoice items (not yet on an invoice) of a customer in one currency; for a subscription, its own and the customer's loose ones. */
export function pendingInvoiceItems(emulator: Emulator, customerId: string, currency: string | null, subscriptionId: string | null): Stripe.InvoiceItem[] {
  return Object.values(emulator.state.invoiceItems).filter((item) => {
    if (item.customer !== customerId || item.invoice !== null) return false;
    if (currency !== null && item.currency !== currency) return false;
    const owner = item.parent?.subscription_details?.subscription ?? null;
    return subscriptionId === null || owner === null || owner === subscriptionId;
  });
}

export function linesFromInvoiceItems(emulator: Emulator, items: readonly Stripe.InvoiceItem[]): InvoiceLineSpec[] {
  return items.map((item) => {
    const priceRef = item.pricing?.price_details?.price;
    const priceId = typeof priceRef === "string" ? priceRef : priceRef?.id;
    const credited = item.proration_details?.credited_items?.invoice_line_item_details;
    return {
      amount: item.amount,
      quantity: item.quantity,
      description: item.description ?? "",
      price: priceId ? (emulator.state.prices[priceId] ?? null) : null,
      period: item.period,
      subscriptionId: item.parent?.subscription_details?.subscription ?? null,
      subscriptionItemId: item.parent?.subscription_details?.subscription_item ?? null,
      invoiceItemId: item.id,
      proration: item.proration,
      creditedItems: credited ? { invoice: credited.invoice, invoice_line_items: credited.invoice_line_items } : null,
    };
  });
}

export function createDraftInvoice(
  emulator: Emulator,
  fields: {
    customer: Stripe.Customer;
    currency: string;
    subscription: Stripe.Subscription | null;
    billingReason: Stripe.Invoice.BillingReason;
    lines: InvoiceLineSpec[];
    /** Pending invoice items this invoice takes in (their lines must be in `lines`). */
    invoiceItems?: readonly Stripe.InvoiceItem[];
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
    discountable: !line.proration,
    discounts: [],
    invoice: id,
    livemode: false,
    metadata: {},
    parent: lineParent(line),
    period: line.period,
    pretax_credit_amounts: [],
    pricing: line.price
      ? {
          type: "price_details",
          price_details: { price: line.price.id, product: productIdOf(line.price) },
          unit_amount_decimal: unitAmountDecimal(line),
        }
      : null,
    quantity: line.quantity,
    quantity_decimal: Stripe.Decimal.from(line.quantity),
    subscription: line.subscriptionId,
    subtotal: line.amount,
    taxes: [],
  }));
  for (const item of fields.invoiceItems ?? []) item.invoice = id;
  const customer = fields.customer;
  const invoice = {
    id,
    object: "invoice",
    account_country: "US",
    account_name: `${emulator.config.brand} (local emulator)`,
    account_tax_ids: null,
    // A draft whose credits outweigh its charges owes nothing; the rest goes to the customer's balance on finalization.
    amount_due: Math.max(0, total),
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: Math.max(0, total),
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
  applyCustomerBalance(invoice, customer);
  invoice.status = "open";
  invoice.effective_at = now;
  invoice.status_transitions.finalized_at = now;
  invoice.hosted_invoice_url = `${emulator.config.baseUrl}/invoices/${invoice.id}`;
  invoice.invoice_pdf = `${emulator.config.baseUrl}/invoices/${invoice.id}/pdf`;
  if (invoice.amount_due === 0) markInvoicePaid(invoice, now);
}

/**
 * Stripe applies the customer's balance when an invoice is finalized: a credit (negative balance) lowers
 * the amount due, a debit raises it, and a negative total (e.g. a downgrade's prorations) becomes credit.
 */
function applyCustomerBalance(invoice: Stripe.Invoice, customer: Stripe.Customer | undefined): void {
  const starting = customer?.balance ?? 0;
  const owed = invoice.total + starting;
  invoice.starting_balance = starting;
  invoice.ending_balance = Math.min(0, owed);
  invoice.amount_due = Math.max(0, owed);
  invoice.amount_remaining = invoice.amount_due;
  if (customer) customer.balance = invoice.ending_balance;
}

function markInvoicePaid(invoice: Stripe.Invoice, now: number): void {
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.status_transitions.paid_at = now;
  invoice.next_payment_attempt = null;
}

/** The outcome of trying to collect an open invoice, with snapshots for its events. */
export interface InvoicePaymentRun {
  invoice: Stripe.Invoice;
  attempt: PaymentAttempt | null;
  /** Set when the invoice could not be collected (declined, or no payment method). */
  error: StripeApiError | null;
}

/**
 * The payment method Stripe charges for a customer's (subscription) invoice, in its documented order:
 * the subscription's default, then the customer's `invoice_settings.default_payment_method`; the emulator
 * then falls back to any attached payment method.
 */
export function billingPaymentMethod(emulator: Emulator, customerId: string | undefined, subscription: Stripe.Subscription | undefined): Stripe.PaymentMethod | undefined {
  const fromSubscription = subscription?.default_payment_method;
  const customer = customerId ? emulator.state.customers[customerId] : undefined;
  const fromCustomer = customer?.invoice_settings.default_payment_method;
  const reference = fromSubscription ?? fromCustomer;
  const id = typeof reference === "string" ? reference : reference?.id;
  if (id) return emulator.state.paymentMethods[id];
  return Object.values(emulator.state.paymentMethods).find((pm) => customerId !== undefined && pm.customer === customerId);
}

function customerPaymentMethod(emulator: Emulator, invoice: Stripe.Invoice, explicit: Stripe.PaymentMethod | undefined): Stripe.PaymentMethod | undefined {
  if (explicit) return explicit;
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = typeof subscriptionId === "string" ? emulator.state.subscriptions[subscriptionId] : undefined;
  return billingPaymentMethod(emulator, typeof invoice.customer === "string" ? invoice.customer : undefined, subscription);
}

/**
 * The invoice's open payment: like Stripe, one PaymentIntent per invoice, created at the first attempt and
 * reused by every retry (each retry is a new charge on it).
 */
function openInvoicePayment(emulator: Emulator, invoice: Stripe.Invoice, now: number): Stripe.InvoicePayment {
  const reusable = paymentsOfInvoice(emulator, invoice.id).find((payment) => {
    const id = payment.payment.payment_intent;
    const intent = typeof id === "string" ? emulator.state.paymentIntents[id] : undefined;
    return payment.status === "open" && intent?.status === "requires_payment_method";
  });
  if (reusable) {
    reusable.amount_requested = invoice.amount_remaining;
    const id = reusable.payment.payment_intent;
    const intent = typeof id === "string" ? emulator.state.paymentIntents[id] : undefined;
    if (intent) intent.amount = invoice.amount_remaining;
    return reusable;
  }
  const paymentIntent = createPaymentIntentRecord(emulator, {
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    customer: typeof invoice.customer === "string" ? invoice.customer : null,
    description: invoice.billing_reason === "subscription_create" ? "Subscription creation" : invoice.billing_reason === "manual" ? null : "Subscription update",
    metadata: {},
    paymentMethodTypes: ["card"],
  });
  const invoicePayment = {
    id: newId("inpay"),
    object: "invoice_payment",
    amount_paid: null,
    amount_requested: invoice.amount_remaining,
    created: now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: paymentIntent.id },
    status: "open",
    status_transitions: { canceled_at: null, paid_at: null },
  } satisfies Stripe.InvoicePayment;
  emulator.state.invoicePayments[invoicePayment.id] = invoicePayment;
  return invoicePayment;
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
  const invoicePayment = openInvoicePayment(emulator, invoice, now);
  const paymentIntentId = invoicePayment.payment.payment_intent;
  const paymentIntent = typeof paymentIntentId === "string" ? emulator.state.paymentIntents[paymentIntentId] : undefined;
  if (!paymentIntent) throw invalidState(`Invoice ${invoice.id} has no payment intent.`);
  const attempt = attemptPayment(emulator, paymentIntent, paymentMethod, { offSession: options.offSession, authenticated: options.authenticated });
  if (attempt.kind === "succeeded") {
    invoicePayment.status = "paid";
    invoicePayment.amount_paid = invoice.amount_remaining;
    invoicePayment.status_transitions.paid_at = now;
  }
  if (attempt.kind === "succeeded") {
    markInvoicePaid(invoice, now);
    return { invoice, attempt, error: null };
  }
  // The caller decides on the next attempt (see dunning.ts): only automatic collection follows the retry schedule.
  if (attempt.kind === "failed") return { invoice, attempt, error: attempt.error };
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
