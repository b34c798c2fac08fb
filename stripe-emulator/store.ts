// In-memory state of every Stripe object, kept as plain JSON so a snapshot file can
// restore it after a dev restart. Tables are records keyed by id in insertion order.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type Stripe from "stripe";
import type { FormObject } from "./http/form";

/** Emulator-only facts Stripe keeps internally (never returned by the API). */
export interface CheckoutSessionInternals {
  /** `payment_intent_data` / `subscription_data` params, applied when the session completes. */
  paymentIntentData?: FormObject;
  subscriptionData?: FormObject;
  /** Chosen on the hosted page for a delayed (bank debit) payment. */
  asyncOutcome?: "succeeded" | "failed";
  asyncDueAt?: number;
}

/** Emulator-only facts about a subscription. */
export interface SubscriptionInternals {
  /** `customer.subscription.trial_will_end` went out for the current `trial_end`. */
  trialWillEndSentFor?: number;
}

/**
 * The account's "manage failed payments" settings (Billing → Revenue recovery in Stripe's Dashboard),
 * set with `POST /_emulator/billing_settings` or `startEmulator({ billingSettings })`.
 */
export interface BillingSettings {
  /** Days after the previous attempt for each retry of a failed subscription invoice; [3, 5, 7] = 4 attempts over 15 days. */
  retryDays: number[];
  /** The subscription after its invoice's final failed attempt: canceled, unpaid, or left past_due. */
  subscriptionAfterFinalFailure: "cancel" | "unpaid" | "past_due";
  /** The invoice after its final failed attempt: left open (past due) or marked uncollectible. */
  invoiceAfterFinalFailure: "leave_open" | "mark_uncollectible";
}

export function defaultBillingSettings(): BillingSettings {
  return { retryDays: [3, 5, 7], subscriptionAfterFinalFailure: "cancel", invoiceAfterFinalFailure: "leave_open" };
}

export interface EmulatorState {
  customers: Record<string, Stripe.Customer>;
  /** Deleted customers: Stripe still answers a retrieve of one, with `deleted: true`. */
  deletedCustomers: Record<string, Stripe.DeletedCustomer>;
  products: Record<string, Stripe.Product>;
  prices: Record<string, Stripe.Price>;
  checkoutSessions: Record<string, Stripe.Checkout.Session>;
  checkoutLineItems: Record<string, Stripe.LineItem[]>;
  checkoutInternals: Record<string, CheckoutSessionInternals>;
  paymentIntents: Record<string, Stripe.PaymentIntent>;
  paymentMethods: Record<string, Stripe.PaymentMethod>;
  setupIntents: Record<string, Stripe.SetupIntent>;
  charges: Record<string, Stripe.Charge>;
  refunds: Record<string, Stripe.Refund>;
  disputes: Record<string, Stripe.Dispute>;
  subscriptions: Record<string, Stripe.Subscription>;
  subscriptionInternals: Record<string, SubscriptionInternals>;
  invoices: Record<string, Stripe.Invoice>;
  invoiceItems: Record<string, Stripe.InvoiceItem>;
  invoicePayments: Record<string, Stripe.InvoicePayment>;
  portalSessions: Record<string, Stripe.BillingPortal.Session>;
  portalConfigurations: Record<string, Stripe.BillingPortal.Configuration>;
  webhookEndpoints: Record<string, Stripe.WebhookEndpoint>;
  webhookSecrets: Record<string, string>;
  testClocks: Record<string, Stripe.TestHelpers.TestClock>;
  events: Record<string, Stripe.EventBase>;
  clockOffsetSeconds: number;
  billingSettings: BillingSettings;
}

export type TableName = {
  [K in keyof EmulatorState]: EmulatorState[K] extends Record<string, { id: string }> ? K : never;
}[keyof EmulatorState];

export function createEmptyState(): EmulatorState {
  return {
    customers: {},
    deletedCustomers: {},
    products: {},
    prices: {},
    checkoutSessions: {},
    checkoutLineItems: {},
    checkoutInternals: {},
    paymentIntents: {},
    paymentMethods: {},
    setupIntents: {},
    charges: {},
    refunds: {},
    disputes: {},
    subscriptions: {},
    subscriptionInternals: {},
    invoices: {},
    invoiceItems: {},
    invoicePayments: {},
    portalSessions: {},
    portalConfigurations: {},
    webhookEndpoints: {},
    webhookSecrets: {},
    testClocks: {},
    events: {},
    clockOffsetSeconds: 0,
    billingSettings: defaultBillingSettings(),
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
  ["seti_", "setupIntents"],
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
  ["bpc_", "portalConfigurations"],
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

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/**
 * The state saved in `file`, or undefined to start empty. No file is the normal first run. A file that
 * cannot be read or parsed must not stop the dev server either: it is reported, and a corrupt one is
 * moved to `<file>.corrupt` so that the next save does not overwrite what is left of it.
 */
export function loadSnapshot(file: string): EmulatorState | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    console.warn(`[stripe-emulator] Cannot read snapshot ${file} (${String(error)}); starting with empty state.`);
    return undefined;
  }
  const parsed = parseSnapshotText(text);
  if (typeof parsed === "string") {
    const aside = `${file}.corrupt`;
    renameSync(file, aside);
    console.warn(`[stripe-emulator] Snapshot ${file} is corrupt (${parsed}); starting with empty state. The file was moved to ${aside}.`);
    return undefined;
  }
  // Fill tables added since the snapshot was written; the file is our own output.
  return Object.assign(createEmptyState(), parsed);
}

/** The snapshot's top-level object, or what is wrong with the text. */
function parseSnapshotText(text: string): object | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "not a JSON object";
  return parsed;
}

export function saveSnapshot(file: string, state: EmulatorState): void {
  // The snapshot's folder (e.g. .data/, which is git-ignored) may not exist yet on a fresh checkout.
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}
