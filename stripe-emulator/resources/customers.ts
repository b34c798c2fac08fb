// Customers: create/retrieve/update/list/delete, with a default payment method that
// renewals charge (set from `payment_method` / `invoice_settings[default_payment_method]`).
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { noSuchObject } from "../http/errors";
import type { FormObject } from "../http/form";
import { newId } from "../http/ids";
import { jsonClone } from "../http/json";
import { createdFilter, listPage } from "../http/list";
import { mergeMetadata, nullableString, optionalObject, optionalString } from "../http/params";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { customerSearchRoute } from "./customer-search";
import { attachPaymentMethod, resolvePaymentMethod } from "./payment-methods";

export function requireCustomer(emulator: Emulator, id: string, param = "id"): Stripe.Customer {
  const customer = emulator.state.customers[id];
  if (!customer) throw noSuchObject("customer", id, param);
  return customer;
}

export function createCustomerRecord(
  emulator: Emulator,
  fields: { email?: string | null; name?: string | null; description?: string | null; metadata?: Stripe.Metadata; testClock?: string | null },
): Stripe.Customer {
  const customer = {
    id: newId("cus", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: emulator.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: fields.description ?? null,
    discount: null,
    email: fields.email ?? null,
    invoice_prefix: newId("", 8).slice(1).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name ?? null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: fields.testClock ?? null,
  } satisfies Stripe.Customer;
  emulator.state.customers[customer.id] = customer;
  return customer;
}

/** Applies `payment_method` and `invoice_settings[default_payment_method]` (test tokens allowed). */
function applyPaymentMethodParams(emulator: Emulator, customer: Stripe.Customer, request: ApiRequest): void {
  const resolved = new Map<string, Stripe.PaymentMethod>();
  const resolve = (idOrToken: string, param: string) => {
    const known = resolved.get(idOrToken) ?? resolvePaymentMethod(emulator, idOrToken, param);
    resolved.set(idOrToken, known);
    return attachPaymentMethod(emulator, known, customer.id, request.context);
  };
  const paymentMethod = optionalString(request.params, "payment_method");
  if (paymentMethod) resolve(paymentMethod, "payment_method");
  const invoiceSettings = optionalObject(request.params, "invoice_settings");
  const defaultPaymentMethod = invoiceSettings
    ? optionalString(invoiceSettings, "default_payment_method", "invoice_settings[default_payment_method]")
    : undefined;
  if (defaultPaymentMethod !== undefined) {
    customer.invoice_settings.default_payment_method =
      defaultPaymentMethod === "" ? null : resolve(defaultPaymentMethod, "invoice_settings[default_payment_method]").id;
  }
}

function createCustomer(emulator: Emulator, request: ApiRequest): Stripe.Customer {
  const params = request.params;
  const testClock = optionalString(params, "test_clock");
  if (testClock && !emulator.state.testClocks[testClock]) throw noSuchObject("test_clock", testClock, "test_clock");
  const customer = createCustomerRecord(emulator, {
    email: optionalString(params, "email"),
    name: optionalString(params, "name"),
    description: optionalString(params, "description"),
    metadata: mergeMetadata(null, params),
    testClock,
  });
  customer.phone = optionalString(params, "phone") ?? null;
  emulator.emit("customer.created", customer, request.context);
  applyPaymentMethodParams(emulator, customer, request);
  return customer;
}

function updateCustomer(emulator: Emulator, request: ApiRequest): Stripe.Customer {
  const customer = requireCustomer(emulator, pathParam(request, "id"));
  const before = jsonClone(customer);
  const params: FormObject = request.params;
  customer.email = nullableString(params, "email", customer.email);
  customer.name = nullableString(params, "name", customer.name ?? null);
  customer.description = nullableString(params, "description", customer.description);
  customer.phone = nullableString(params, "phone", customer.phone ?? null);
  customer.metadata = mergeMetadata(customer.metadata, params);
  applyPaymentMethodParams(emulator, customer, request);
  emulator.emit("customer.updated", customer, request.context, changedAttributes(before, customer));
  return customer;
}

/** `previous_attributes`: the top-level fields whose JSON changed, with their old values. */
export function changedAttributes<T extends object>(before: T, after: T): Partial<T> {
  const previous: Partial<T> = {};
  for (const key of Object.keys(before)) {
    if (!isKeyOf(before, key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key];
  }
  return previous;
}

function isKeyOf<T extends object>(value: T, key: PropertyKey): key is keyof T {
  return key in value;
}

export const customerRoutes: Route[] = [
  // Before `/v1/customers/:id`, which would take "search" for an id.
  customerSearchRoute,
  route("POST", "/v1/customers", createCustomer),
  route("GET", "/v1/customers/:id", (emulator, request) => {
    const id = pathParam(request, "id");
    // Only a retrieve still sees a deleted customer; every other call answers that there is no such customer.
    return emulator.state.deletedCustomers[id] ?? requireCustomer(emulator, id);
  }),
  route("POST", "/v1/customers/:id", updateCustomer),
  route("GET", "/v1/customers", (emulator, request) => {
    const email = optionalString(request.params, "email");
    const inRange = createdFilter(request.params);
    const items = Object.values(emulator.state.customers).filter(
      (customer) => (!email || customer.email === email) && inRange(customer.created),
    );
    return listPage(items, request.params, "/v1/customers");
  }),
  route("DELETE", "/v1/customers/:id", (emulator, request) => {
    const customer = requireCustomer(emulator, pathParam(request, "id"));
    delete emulator.state.customers[customer.id];
    const deleted = { id: customer.id, object: "customer", deleted: true } satisfies Stripe.DeletedCustomer;
    emulator.state.deletedCustomers[customer.id] = deleted;
    emulator.emit("customer.deleted", customer, request.context);
    return deleted;
  }),
];
