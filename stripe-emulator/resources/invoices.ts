// Invoices and invoice items: draft → open (finalize) → paid / uncollectible / void.
import Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidState, noSuchObject } from "../http/errors";
import { newId } from "../http/ids";
import { collectInvoice, createDraftInvoice, emitCollection, finalizeInvoiceState, paymentsOfInvoice } from "../engines/invoice";
import { listPage } from "../http/list";
import { mergeMetadata, nullableString, optionalInteger, optionalString, requiredString } from "../http/params";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { reactivateAfterPayment, timeForCustomer } from "../engines/subscription";
import { requirePrice } from "./catalog";
import { changedAttributes, requireCustomer } from "./customers";
import { invoicePreviewRoute } from "./invoice-preview";
import { resolvePaymentMethod } from "./payment-methods";

export function requireInvoice(emulator: Emulator, id: string, param = "id"): Stripe.Invoice {
  const invoice = emulator.state.invoices[id];
  if (!invoice) throw noSuchObject("invoice", id, param);
  return invoice;
}

function createInvoiceItem(emulator: Emulator, request: ApiRequest): Stripe.InvoiceItem {
  const params = request.params;
  const customer = requireCustomer(emulator, requiredString(params, "customer"), "customer");
  const priceId = optionalString(params, "price");
  const price = priceId ? requirePrice(emulator, priceId, "price") : undefined;
  const quantity = optionalInteger(params, "quantity") ?? 1;
  const amount = price ? (price.unit_amount ?? 0) * quantity : (optionalInteger(params, "amount") ?? 0);
  const now = timeForCustomer(emulator, customer.id);
  const item: Stripe.InvoiceItem = {
    id: newId("ii"),
    object: "invoiceitem",
    amount,
    currency: (price?.currency ?? requiredString(params, "currency")).toLowerCase(),
    customer: customer.id,
    customer_account: null,
    date: now,
    description: optionalString(params, "description") ?? null,
    discountable: true,
    discounts: [],
    invoice: optionalString(params, "invoice") ?? null,
    livemode: false,
    metadata: mergeMetadata(null, params),
    parent: null,
    period: { start: now, end: now },
    pricing: null,
    proration: false,
    quantity,
    quantity_decimal: Stripe.Decimal.from(quantity),
    tax_rates: [],
    test_clock: customer.test_clock ?? null,
  };
  emulator.state.invoiceItems[item.id] = item;
  emulator.emit("invoiceitem.created", item, request.context);
  return item;
}

function createInvoice(emulator: Emulator, request: ApiRequest): Stripe.Invoice {
  const params = request.params;
  const customer = requireCustomer(emulator, requiredString(params, "customer"), "customer");
  const now = timeForCustomer(emulator, customer.id);
  const includePending = (optionalString(params, "pending_invoice_items_behavior") ?? "exclude") === "include";
  const pending = includePending
    ? Object.values(emulator.state.invoiceItems).filter((item) => item.customer === customer.id && item.invoice === null)
    : [];
  const invoice = createDraftInvoice(emulator, {
    customer,
    currency: (optionalString(params, "currency") ?? pending[0]?.currency ?? "usd").toLowerCase(),
    subscription: null,
    billingReason: "manual",
    lines: pending.map((item) => ({
      amount: item.amount,
      quantity: item.quantity,
      description: item.description ?? "",
      price: null,
      period: item.period,
      subscriptionId: null,
      subscriptionItemId: null,
      invoiceItemId: item.id,
    })),
    description: optionalString(params, "description") ?? null,
    periodStart: now,
    periodEnd: now,
    metadata: mergeMetadata(null, params),
    now,
  });
  for (const item of pending) item.invoice = invoice.id;
  emulator.emit("invoice.created", invoice, request.context);
  return invoice;
}

function finalizeInvoice(emulator: Emulator, request: ApiRequest): Stripe.Invoice {
  const invoice = requireInvoice(emulator, pathParam(request, "id"));
  finalizeInvoiceState(emulator, invoice, timeForCustomer(emulator, String(invoice.customer)));
  emulator.emit("invoice.finalized", invoice, request.context);
  if (invoice.status === "paid") emulator.emit("invoice.paid", invoice, request.context);
  return invoice;
}

function payInvoice(emulator: Emulator, request: ApiRequest): Stripe.Invoice {
  const invoice = requireInvoice(emulator, pathParam(request, "id"));
  const now = timeForCustomer(emulator, String(invoice.customer));
  if (invoice.status === "draft") {
    finalizeInvoiceState(emulator, invoice, now);
    emulator.emit("invoice.finalized", invoice, request.context);
  }
  const paymentMethodId = optionalString(request.params, "payment_method");
  const paymentMethod = paymentMethodId ? resolvePaymentMethod(emulator, paymentMethodId) : undefined;
  const run = collectInvoice(emulator, invoice, now, { paymentMethod, offSession: true });
  emitCollection(emulator, run, request.context);
  if (run.error) throw run.error;
  reactivateAfterPayment(emulator, invoice, request.context);
  return invoice;
}

function transition(emulator: Emulator, request: ApiRequest, to: "void" | "uncollectible"): Stripe.Invoice {
  const invoice = requireInvoice(emulator, pathParam(request, "id"));
  if (invoice.status !== "open" && !(to === "void" && invoice.status === "uncollectible")) {
    throw invalidState(`You can only mark an open invoice as ${to}; this invoice is ${invoice.status}.`, "invoice_not_open");
  }
  const now = timeForCustomer(emulator, String(invoice.customer));
  invoice.status = to;
  if (to === "void") invoice.status_transitions.voided_at = now;
  else invoice.status_transitions.marked_uncollectible_at = now;
  emulator.emit(to === "void" ? "invoice.voided" : "invoice.marked_uncollectible", invoice, request.context);
  return invoice;
}

function updateInvoice(emulator: Emulator, request: ApiRequest): Stripe.Invoice {
  const invoice = requireInvoice(emulator, pathParam(request, "id"));
  const before = { ...invoice };
  invoice.metadata = mergeMetadata(invoice.metadata, request.params);
  invoice.description = nullableString(request.params, "description", invoice.description);
  emulator.emit("invoice.updated", invoice, request.context, changedAttributes(before, invoice));
  return invoice;
}

export function invoicePaymentsList(emulator: Emulator, invoiceId: string) {
  return { object: "list" as const, data: paymentsOfInvoice(emulator, invoiceId), has_more: false, url: `/v1/invoice_payments?invoice=${invoiceId}` };
}

export const invoiceRoutes: Route[] = [
  // Before `/v1/invoices/:id`, which would take "create_preview" for an id.
  invoicePreviewRoute,
  route("POST", "/v1/invoiceitems", createInvoiceItem),
  route("GET", "/v1/invoiceitems/:id", (emulator, request) => {
    const id = pathParam(request, "id");
    const item = emulator.state.invoiceItems[id];
    if (!item) throw noSuchObject("invoiceitem", id);
    return item;
  }),
  route("GET", "/v1/invoiceitems", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const items = Object.values(emulator.state.invoiceItems).filter((item) => !customer || item.customer === customer);
    return listPage(items, request.params, "/v1/invoiceitems");
  }),
  route("POST", "/v1/invoices", createInvoice),
  route("GET", "/v1/invoices/:id", (emulator, request) => requireInvoice(emulator, pathParam(request, "id"))),
  route("POST", "/v1/invoices/:id", updateInvoice),
  route("POST", "/v1/invoices/:id/finalize", finalizeInvoice),
  route("POST", "/v1/invoices/:id/pay", payInvoice),
  route("POST", "/v1/invoices/:id/void", (emulator, request) => transition(emulator, request, "void")),
  route("POST", "/v1/invoices/:id/mark_uncollectible", (emulator, request) => transition(emulator, request, "uncollectible")),
  route("GET", "/v1/invoices/:id/lines", (emulator, request) => requireInvoice(emulator, pathParam(request, "id")).lines),
  route("GET", "/v1/invoices", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const subscription = optionalString(request.params, "subscription");
    const status = optionalString(request.params, "status");
    const items = Object.values(emulator.state.invoices).filter(
      (invoice) =>
        (!customer || invoice.customer === customer) &&
        (!subscription || invoice.parent?.subscription_details?.subscription === subscription) &&
        (!status || invoice.status === status),
    );
    return listPage(items, request.params, "/v1/invoices");
  }),
  route("GET", "/v1/invoice_payments", (emulator, request) => {
    const invoice = optionalString(request.params, "invoice");
    const items = Object.values(emulator.state.invoicePayments).filter((payment) => !invoice || payment.invoice === invoice);
    return listPage(items, request.params, "/v1/invoice_payments");
  }),
];
