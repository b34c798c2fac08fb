// In-memory state of every Stripe object, kept as plain JSON so a snapshot file can
// restore it after a dev restart. Tables are records keyed by id in insertion order.
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import type Stripe from "stripe";
import type { FormObject } from "./form";

/** Emulator-only facts Stripe keeps internally (never returned by the API). */
export interface CheckoutSessionInternals {
  /** `payment_intent_data` / `subscription_data` params, applied when the session completes. */
  paymentIntentData?: FormObject;
  subscriptionData?: FormObject;
  /** Chosen on the hosted page for a delayed (bank debit) payment. */
  asyncOutcome?: "succeeded" | "failed";
  asyncDueAt?: number;
}

export interface EmulatorState {
  customers: Record<string, Stripe.Customer>;
  products: Record<string, Stripe.Product>;
  prices: Record<string, Stripe.Price>;
  checkoutSessions: Record<string, Stripe.Checkout.Session>;
  checkoutLineItems: Record<string, Stripe.LineItem[]>;
  checkoutInternals: Record<string, CheckoutSessionInternals>;
  paymentIntents: Record<string, Stripe.PaymentIntent>;
  paymentMethods: Record<string, Stripe.PaymentMethod>;
  charges: Record<string, Stripe.Charge>;
  refunds: Record<string, Stripe.Refund>;
  disputes: Record<string, Stripe.Dispute>;
  subscriptions: Record<string, Stripe.Subscription>;
  invoices: Record<string, Stripe.Invoice>;
  invoiceItems: Record<string, Stripe.InvoiceItem>;
  invoicePayments: Record<string, Stripe.InvoicePayment>;
  portalSessions: Record<string, Stripe.BillingPortal.Session>;
  webhookEndpoints: Record<string, Stripe.WebhookEndpoint>;
  webhookSecrets: Record<string, string>;
  testClocks: Record<string, Stripe.TestHelpers.TestClock>;
  events: Record<string, Stripe.EventBase>;
  clockOffsetSeconds: number;
}

export type TableName = {
  [K in keyof EmulatorState]: EmulatorState[K] extends Record<string, { id: string }> ? K : never;
}[keyof EmulatorState];

export function createEmptyState(): EmulatorState {
  return {
    customers: {},
    products: {},
    prices: {},
    checkoutSessions: {},
    checkoutLineItems: {},
    checkoutInternals: {},
    paymentIntents: {},
    paymentMethods: {},
    charges: {},
    refunds: {},
    disputes: {},
    subscriptions: {},
    invoices: {},
    invoiceItems: {},
    invoicePayments: {},
    portalSessions: {},
    webhookEndpoints: {},
    webhookSecrets: {},
    testClocks: {},
    events: {},
    clockOffsetSeconds: 0,
  };
}

/** Which table holds an id, from Stripe's prefixes; used by `expand`. */
const TABLE_BY_PREFIX: ReadonlyArray<[string, TableName]> = [
  ["cus_", "customers"],
  ["prod_", "products"],
  ["price_", "prices"],
  ["cs_", "checkoutSessions"],
  ["pi_", "paymentIntents"],
  ["pm_", "paymentMethods"],
  ["ch_", "charges"],
  ["py_", "charges"],
  ["re_", "refunds"],
  ["dp_", "disputes"],
  ["du_", "disputes"],
  ["sub_", "subscriptions"],
  ["in_", "invoices"],
  ["ii_", "invoiceItems"],
  ["inpay_", "invoicePayments"],
  ["bps_", "portalSessions"],
  ["we_", "webhookEndpoints"],
  ["clock_", "testClocks"],
  ["evt_", "events"],
];

export function findById(state: EmulatorState, id: string): object | undefined {
  for (const [prefix, table] of TABLE_BY_PREFIX) {
    if (id.startsWith(prefix)) return state[table][id];
  }
  return undefined;
}

export function loadSnapshot(file: string): EmulatorState | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) return undefined;
  // Fill tables added since the snapshot was written; the file is our own output.
  return Object.assign(createEmptyState(), parsed);
}

export function saveSnapshot(file: string, state: EmulatorState): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}
