// Checkout sessions in `payment`, `subscription` and `setup` mode, their completion (shared by
// the hosted page and the CLI's `payment_pages` calls), delayed payments and expiry.
import type Stripe from "stripe";
import { DECLINE_MESSAGES } from "../engines/cards";
import type { Emulator, RequestContext } from "../emulator";
import { invalidParam, invalidState, missingParam, noSuchObject } from "../http/errors";
import type { FormObject } from "../http/form";
import { newId, clientSecretFor } from "../http/ids";
import { createdFilter, listPage } from "../http/list";
import {
  mergeMetadata,
  objectArray,
  paymentMethodTypesFrom,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from "../http/params";
import {
  attemptPayment,
  cardBehaviourOf,
  createPaymentIntentRecord,
  defaultSepaOutcome,
  emitPaymentOutcome,
  settleProcessingPayment,
} from "../engines/payments";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { emitSubscriptionStart, startSubscription, timeForCustomer } from "../engines/subscription";
import { createPriceRecord, createProductRecord, requirePrice } from "./catalog";
import { createCustomerRecord, requireCustomer } from "./customers";
import { shippingFrom } from "./payment-intents";
import { attachPaymentMethod, resolvePaymentMethod } from "./payment-methods";
import { cancelSetupIntent, confirmSetupIntent, createSetupIntentRecord, setupIntentDataFrom } from "./setup-intents";
import { trialFromParams } from "./subscriptions";

export function requireSession(emulator: Emulator, id: string, param = "id"): Stripe.Checkout.Session {
  const session = emulator.state.checkoutSessions[id];
  if (!session) throw noSuchObject("checkout.session", id, param);
  return session;
}

function lineItemsFrom(emulator: Emulator, request: ApiRequest, mode: Stripe.Checkout.Session.Mode): Stripe.LineItem[] {
  const items = objectArray(request.params, "line_items");
  if (items.length === 0 && mode !== "setup") throw invalidParam("line_items", "Missing required param: line_items.", "parameter_missing");
  return items.map((item, index) => {
    const path = `line_items[${index}]`;
    const quantity = optionalInteger(item, "quantity", `${path}[quantity]`) ?? 1;
    const priceId = optionalString(item, "price", `${path}[price]`);
    const priceData = optionalObject(item, "price_data", `${path}[price_data]`);
    let price: Stripe.Price;
    if (priceId) price = requirePrice(emulator, priceId, `${path}[price]`);
    else if (priceData) price = priceFromData(emulator, priceData, `${path}[price_data]`, request);
    else throw invalidParam(`${path}[price]`, `You must specify either \`price\` or \`price_data\` in ${path}.`, "parameter_missing");
    if (mode === "payment" && price.recurring) {
      throw invalidParam(`${path}[price]`, "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.");
    }
    if (mode === "subscription" && !price.recurring) {
      throw invalidParam(`${path}[price]`, "You must provide at least one recurring price in `subscription` mode when using prices.");
    }
    const product = typeof price.product === "string" ? emulator.state.products[price.product] : undefined;
    const amount = (price.unit_amount ?? 0) * quantity;
    return {
      id: newId("li"),
      object: "item",
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: price.currency,
      description: product?.name ?? null,
      metadata: {},
      price,
      quantity,
    } satisfies Stripe.LineItem;
  });
}

/** `price_data` makes an inactive-looking ad-hoc price, as Stripe does for top-ups. */
function priceFromData(emulator: Emulator, data: FormObject, path: string, request: ApiRequest): Stripe.Price {
  const productId = optionalString(data, "product", `${path}[product]`);
  const productData = optionalObject(data, "product_data", `${path}[product_data]`);
  let product: string;
  if (productId) product = productId;
  else if (productData) product = createProductRecord(emulator, requiredString(productData, "name", `${path}[product_data][name]`), productData, request).id;
  else throw invalidParam(`${path}[product_data]`, `You must specify either \`product\` or \`product_data\` in ${path}.`, "parameter_missing");
  const price = createPriceRecord(emulator, product, data, path, request);
  price.active = false;
  return price;
}

type UiMode = "hosted_page" | "embedded_page" | "elements";

/** `ui_mode`'s names before `2026-03-25.dahlia` renamed them, and what each is called now. */
const LEGACY_UI_MODES = { hosted: "hosted_page", embedded: "embedded_page", custom: "elements" } as const satisfies Record<string, UiMode>;
const UI_MODES_RENAMED_IN = "2026-03-25";

/** Whether a request's `Stripe-Version` predates the `ui_mode` rename (versions sort by their date). */
function usesLegacyUiModes(apiVersion: string): boolean {
  return apiVersion.slice(0, 10) < UI_MODES_RENAMED_IN;
}

/** `ui_mode` in the request's API version's names, stored under today's names. Defaults to `hosted_page`. */
function uiModeFrom(params: FormObject, apiVersion: string): UiMode {
  if (usesLegacyUiModes(apiVersion)) {
    const legacy = optionalEnum(params, "ui_mode", ["hosted", "embedded", "custom"]);
    return legacy ? LEGACY_UI_MODES[legacy] : "hosted_page";
  }
  return optionalEnum(params, "ui_mode", ["hosted_page", "embedded_page", "elements"]) ?? "hosted_page";
}

/**
 * Where the customer goes afterwards. A hosted page needs `success_url` (and may have `cancel_url`); an embedded
 * page or elements session has neither, and instead a `return_url` unless `redirect_on_completion` is `never`.
 */
function completionUrlsFrom(params: FormObject, uiMode: UiMode) {
  const successUrl = optionalString(params, "success_url") ?? null;
  const cancelUrl = optionalString(params, "cancel_url") ?? null;
  const returnUrl = optionalString(params, "return_url") ?? null;
  const redirectOnCompletion = optionalEnum(params, "redirect_on_completion", ["always", "if_required", "never"]) ?? null;
  if (uiMode === "hosted_page") {
    if (!successUrl) throw missingParam("success_url");
    if (returnUrl) throw invalidParam("return_url", "`return_url` is not supported when `ui_mode` is `hosted_page`. Use `success_url` instead.");
    if (redirectOnCompletion) throw invalidParam("redirect_on_completion", "`redirect_on_completion` is only supported when `ui_mode` is `embedded_page` or `elements`.");
    return { successUrl, cancelUrl, returnUrl: null, redirectOnCompletion: null };
  }
  if (successUrl) throw invalidParam("success_url", `\`success_url\` is not supported when \`ui_mode\` is \`${uiMode}\`. Use \`return_url\` instead.`);
  if (cancelUrl) throw invalidParam("cancel_url", `\`cancel_url\` is not supported when \`ui_mode\` is \`${uiMode}\`.`);
  const redirect = redirectOnCompletion ?? "always";
  if (redirect === "never" && returnUrl) throw invalidParam("return_url", "`return_url` cannot be set when `redirect_on_completion` is `never`.");
  if (redirect !== "never" && !returnUrl) throw missingParam("return_url");
  return { successUrl: null, cancelUrl: null, returnUrl, redirectOnCompletion: redirect };
}

/**
 * A response as a request of an older API version sees it: Checkout Sessions answer the `ui_mode` names of that
 * version. Works on a copy, never on the stored objects.
 */
export function presentForVersion(body: unknown, apiVersion: string): unknown {
  if (!usesLegacyUiModes(apiVersion)) return body;
  const legacyName = new Map<string, string>(Object.entries(LEGACY_UI_MODES).map(([legacy, current]) => [current, legacy]));
  return JSON.parse(JSON.stringify(body), (key: string, value: unknown) => {
    if (typeof value !== "object" || value === null || !("object" in value) || value.object !== "checkout.session" || !("ui_mode" in value)) return value;
    const renamed = typeof value.ui_mode === "string" ? legacyName.get(value.ui_mode) : undefined;
    return renamed ? { ...value, ui_mode: renamed } : value;
  });
}

function createSession(emulator: Emulator, request: ApiRequest): Stripe.Checkout.Session {
  const params = request.params;
  const mode = optionalEnum(params, "mode", ["payment", "subscription", "setup"]);
  if (!mode) throw invalidParam("mode", "Missing required param: mode.", "parameter_missing");
  const customerId = optionalString(params, "customer");
  const customer = customerId ? requireCustomer(emulator, customerId, "customer") : undefined;
  const customerEmail = optionalString(params, "customer_email");
  if (customer && customerEmail) throw invalidParam("customer_email", "You may only specify one of these parameters: customer, customer_email.");
  const uiMode = uiModeFrom(params, request.apiVersion);
  const urls = completionUrlsFrom(params, uiMode);
  const lineItems = lineItemsFrom(emulator, request, mode);
  const paymentMethodTypes = paymentMethodTypesFrom(params);
  const currencyParam = optionalString(params, "currency")?.toLowerCase();
  // Setup mode charges nothing, so it has no currency unless given; with dynamic payment methods (no
  // `allowed_payment_method_types`) Stripe needs one to pick the methods to offer.
  if (mode === "setup" && !currencyParam && !paymentMethodTypes.allowed && !params.payment_method_types) throw missingParam("currency");
  const currency = mode === "setup" ? (currencyParam ?? null) : (lineItems[0]?.currency ?? currencyParam ?? "usd");
  const now = emulator.now();
  const subscriptionData = optionalObject(params, "subscription_data") ?? {};
  // Validates the trial params now; the trial itself starts when the session completes.
  const trialing = mode === "subscription" && trialFromParams(subscriptionData, now, "subscription_data").trialEnd !== null;
  // What is due today: nothing during a trial.
  const amountTotal = mode === "setup" ? null : trialing ? 0 : lineItems.reduce((sum, item) => sum + item.amount_total, 0);
  const paymentMethodCollection = optionalEnum(params, "payment_method_collection", ["always", "if_required"]);
  const expiresAt = optionalInteger(params, "expires_at") ?? now + 24 * 3600;
  if (expiresAt < now + 30 * 60 - 5 || expiresAt > now + 24 * 3600 + 5) {
    throw invalidParam("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.");
  }
  const id = newId(mode === "payment" ? "cs_test_a" : mode === "subscription" ? "cs_test_b" : "cs_test_c", 58);
  const customerCreation = optionalEnum(params, "customer_creation", ["always", "if_required"]);
  const session: Stripe.Checkout.Session = {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: paymentMethodTypes.allowed,
    amount_subtotal: amountTotal,
    amount_total: amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: urls.cancelUrl,
    client_reference_id: optionalString(params, "client_reference_id") ?? null,
    client_secret: uiMode === "hosted_page" ? null : clientSecretFor(id),
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: customer?.id ?? null,
    customer_account: null,
    // Only subscriptions need a customer; payment and setup mode create one when asked to (`always`).
    customer_creation: customer ? null : mode === "subscription" ? "always" : (customerCreation ?? "if_required"),
    customer_details: customer
      ? { address: null, business_name: null, email: customer.email, individual_name: null, name: customer.name ?? null, phone: null, tax_exempt: "none", tax_ids: [] }
      : null,
    customer_email: customerEmail ?? null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: mode === "payment" ? { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } } : null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: mergeMetadata(null, params),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: paymentMethodCollection ?? (mode === "subscription" ? "always" : null),
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: paymentMethodTypes.types,
    // A setup-mode session never takes a payment.
    payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: urls.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: uiMode,
    url: uiMode === "hosted_page" ? `${emulator.config.baseUrl}/checkout/${id}` : null,
    wallet_options: null,
    ...(urls.returnUrl !== null ? { return_url: urls.returnUrl } : {}),
    ...(urls.redirectOnCompletion !== null ? { redirect_on_completion: urls.redirectOnCompletion } : {}),
  };
  emulator.state.checkoutSessions[id] = session;
  emulator.state.checkoutLineItems[id] = lineItems;
  emulator.state.checkoutInternals[id] = { paymentIntentData: optionalObject(params, "payment_intent_data") ?? {}, subscriptionData };
  if (mode === "setup") {
    // As on Stripe, a setup-mode session has its SetupIntent from the start; the hosted page confirms it.
    const setupIntentData = setupIntentDataFrom(params);
    const setupIntent = createSetupIntentRecord(emulator, {
      customer: customer?.id ?? null,
      description: setupIntentData.description,
      metadata: setupIntentData.metadata,
      paymentMethodTypes: session.payment_method_types,
      allowedPaymentMethodTypes: session.allowed_payment_method_types,
      usage: "off_session",
    });
    session.setup_intent = setupIntent.id;
    emulator.emit("setup_intent.created", setupIntent, request.context);
  }
  return session;
}

export type CheckoutOutcome =
  | { kind: "completed"; redirectUrl: string }
  | { kind: "requires_action" }
  | { kind: "declined"; message: string };

/** A complete session has no page to send anyone to any more: Stripe answers `url: null`. */
function markComplete(session: Stripe.Checkout.Session): void {
  session.status = "complete";
  session.url = null;
}

export function successRedirect(session: Stripe.Checkout.Session): string {
  return (session.success_url ?? session.return_url ?? "/").replaceAll("{CHECKOUT_SESSION_ID}", session.id);
}

function ensureCustomer(emulator: Emulator, session: Stripe.Checkout.Session, email: string | null, context: RequestContext): Stripe.Customer {
  const existing = typeof session.customer === "string" ? emulator.state.customers[session.customer] : undefined;
  if (existing) return existing;
  const customer = createCustomerRecord(emulator, { email: email ?? session.customer_email });
  emulator.emit("customer.created", customer, context);
  session.customer = customer.id;
  return customer;
}

function recordCustomerDetails(session: Stripe.Checkout.Session, email: string | null, name: string | null): void {
  session.customer_details = {
    address: null,
    business_name: null,
    email: email ?? session.customer_details?.email ?? session.customer_email,
    individual_name: null,
    name: name ?? session.customer_details?.name ?? null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
}

/**
 * Pay an open session with a payment method. Declines leave it open (the page shows
 * the message); delayed methods complete it `unpaid` and settle later.
 */
export function completeSession(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
  paymentMethod: Stripe.PaymentMethod,
  options: { authenticated: boolean; email: string | null; name: string | null; asyncOutcome?: "succeeded" | "failed" },
  context: RequestContext,
): CheckoutOutcome {
  if (session.status !== "open") throw invalidState(`This Checkout Session is ${session.status}.`, "checkout_session_not_open");
  recordCustomerDetails(session, options.email ?? paymentMethod.billing_details.email, options.name ?? paymentMethod.billing_details.name);
  const internals = emulator.state.checkoutInternals[session.id] ?? {};
  if (session.mode === "subscription") return completeSubscriptionSession(emulator, session, paymentMethod, options, context);
  if (session.mode === "setup") return completeSetupSession(emulator, session, paymentMethod, options, context);

  const paymentIntentData: FormObject = internals.paymentIntentData ?? {};
  const customerId = typeof session.customer === "string" ? session.customer : null;
  // As on Stripe, a session has one PaymentIntent: a retry after a decline or a failed authentication
  // (or the authentication step itself) confirms the same one again with the new payment method.
  const paymentIntent = retryablePaymentIntent(emulator, session) ?? createPaymentIntentRecord(emulator, {
    amount: session.amount_total ?? 0,
    currency: session.currency ?? "usd",
    customer: customerId,
    description: optionalString(paymentIntentData, "description") ?? null,
    metadata: mergeMetadata(null, paymentIntentData),
    paymentMethodTypes: session.payment_method_types,
    shipping: shippingFrom(optionalObject(paymentIntentData, "shipping")),
    setupFutureUsage: optionalEnum(paymentIntentData, "setup_future_usage", ["off_session", "on_session"]) ?? null,
  });
  session.payment_intent = paymentIntent.id;
  if (customerId) attachPaymentMethod(emulator, paymentMethod, customerId, context);
  const attempt = attemptPayment(emulator, paymentIntent, paymentMethod, { authenticated: options.authenticated });
  if (attempt.kind === "requires_action") return { kind: "requires_action" };
  if (attempt.kind === "failed") {
    emitPaymentOutcome(emulator, attempt, context);
    return { kind: "declined", message: attempt.error.message };
  }
  markComplete(session);
  if (attempt.kind === "succeeded") {
    session.payment_status = "paid";
    emulator.emit("checkout.session.completed", session, context);
    emitPaymentOutcome(emulator, attempt, context);
  } else {
    emulator.emit("checkout.session.completed", session, context);
    emitPaymentOutcome(emulator, attempt, context);
    const outcome = options.asyncOutcome ?? (defaultSepaOutcome(paymentMethod) ? "succeeded" : "failed");
    internals.asyncOutcome = outcome;
    emulator.state.checkoutInternals[session.id] = internals;
    emulator.later(emulator.config.asyncPaymentDelayMs, () => settleAsyncPayment(emulator, session.id, outcome));
  }
  return { kind: "completed", redirectUrl: successRedirect(session) };
}

/** The session's PaymentIntent while it can still be confirmed again (after a decline, or waiting for authentication). */
export function retryablePaymentIntent(emulator: Emulator, session: Stripe.Checkout.Session): Stripe.PaymentIntent | undefined {
  const id = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
  const paymentIntent = id ? emulator.state.paymentIntents[id] : undefined;
  if (!paymentIntent) return undefined;
  return paymentIntent.status === "requires_payment_method" || paymentIntent.status === "requires_action" ? paymentIntent : undefined;
}

/** A setup-mode session's SetupIntent. */
export function sessionSetupIntent(emulator: Emulator, session: Stripe.Checkout.Session): Stripe.SetupIntent | undefined {
  const id = typeof session.setup_intent === "string" ? session.setup_intent : session.setup_intent?.id;
  return id ? emulator.state.setupIntents[id] : undefined;
}

/**
 * Save a card: confirm the session's SetupIntent with it. A card that asks for 3-D Secure (3155, 3184) waits for
 * the page's authentication step; a generic decline leaves the session open with the message. On success the card
 * is attached to the customer and the session completes: `payment_method.attached`, `setup_intent.succeeded`,
 * `checkout.session.completed`.
 */
function completeSetupSession(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
  paymentMethod: Stripe.PaymentMethod,
  options: { authenticated: boolean; email: string | null },
  context: RequestContext,
): CheckoutOutcome {
  const setupIntent = sessionSetupIntent(emulator, session);
  if (!setupIntent) throw invalidState(`Checkout Session ${session.id} has no SetupIntent.`);
  if (session.customer_creation === "always" && !session.customer) {
    setupIntent.customer = ensureCustomer(emulator, session, options.email, context).id;
  }
  const outcome = confirmSetupIntent(emulator, setupIntent, paymentMethod, { authenticated: options.authenticated }, context);
  if (outcome.kind === "requires_action") return { kind: "requires_action" };
  if (outcome.kind === "failed") return { kind: "declined", message: outcome.message };
  markComplete(session);
  emulator.emit("checkout.session.completed", session, context);
  return { kind: "completed", redirectUrl: successRedirect(session) };
}

/** The trial a subscription-mode session asked for in `subscription_data`, as of `now`. */
function sessionTrial(emulator: Emulator, session: Stripe.Checkout.Session, now: number) {
  return trialFromParams(emulator.state.checkoutInternals[session.id]?.subscriptionData ?? {}, now, "subscription_data");
}

/**
 * Start the session's subscription. Without a trial the first invoice is charged, so Checkout refuses a card
 * that declines (including 4000 0000 0000 0341, which attaches but fails every charge). With a trial nothing is
 * charged: the card is only saved (a generic decline still refuses it), and with
 * `payment_method_collection: if_required` the customer may give none.
 */
function completeSubscriptionSession(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
  paymentMethod: Stripe.PaymentMethod | undefined,
  options: { authenticated: boolean; email: string | null },
  context: RequestContext,
): CheckoutOutcome {
  const customerId = typeof session.customer === "string" ? session.customer : null;
  const trial = sessionTrial(emulator, session, customerId ? timeForCustomer(emulator, customerId) : emulator.now());
  const trialing = trial.trialEnd !== null;
  const behaviour = paymentMethod ? cardBehaviourOf(paymentMethod) : undefined;
  if (behaviour === "decline_generic" || (!trialing && behaviour === "charge_customer_fail")) return { kind: "declined", message: DECLINE_MESSAGES.generic_decline };
  if (!trialing && behaviour === "decline_insufficient_funds") return { kind: "declined", message: DECLINE_MESSAGES.insufficient_funds };
  if (behaviour === "require_authentication" && !options.authenticated) return { kind: "requires_action" };
  if (!paymentMethod && !(trialing && session.payment_method_collection === "if_required")) {
    return { kind: "declined", message: "Your card number is incomplete." };
  }
  const customer = ensureCustomer(emulator, session, options.email, context);
  if (paymentMethod) {
    attachPaymentMethod(emulator, paymentMethod, customer.id, context);
    customer.invoice_settings.default_payment_method = paymentMethod.id;
  }
  const subscriptionData: FormObject = emulator.state.checkoutInternals[session.id]?.subscriptionData ?? {};
  const lineItems = emulator.state.checkoutLineItems[session.id] ?? [];
  const started = startSubscription(
    emulator,
    {
      customer,
      items: lineItems.flatMap((item) => (item.price ? [{ price: item.price, quantity: item.quantity ?? 1 }] : [])),
      metadata: mergeMetadata(null, subscriptionData),
      defaultPaymentMethod: paymentMethod?.id ?? null,
      cancelAtPeriodEnd: false,
      description: optionalString(subscriptionData, "description") ?? null,
      ...sessionTrial(emulator, session, timeForCustomer(emulator, customer.id)),
    },
    paymentMethod,
    true,
  );
  session.subscription = started.subscription.id;
  session.invoice = started.run.invoice.id;
  markComplete(session);
  // A trial's payment is due later: Stripe reports `no_payment_required`.
  session.payment_status = trialing ? "no_payment_required" : started.run.invoice.status === "paid" ? "paid" : "unpaid";
  emitSubscriptionStart(emulator, started, context);
  emulator.emit("checkout.session.completed", session, context);
  return { kind: "completed", redirectUrl: successRedirect(session) };
}

/** Complete a trial session whose `payment_method_collection` is `if_required` without a payment method. */
export function completeSessionWithoutPaymentMethod(emulator: Emulator, session: Stripe.Checkout.Session, email: string | null, context: RequestContext): CheckoutOutcome {
  if (session.status !== "open") throw invalidState(`This Checkout Session is ${session.status}.`, "checkout_session_not_open");
  if (session.mode !== "subscription") return { kind: "declined", message: "Your card number is incomplete." };
  recordCustomerDetails(session, email, null);
  return completeSubscriptionSession(emulator, session, undefined, { authenticated: false, email }, context);
}

/** Whether the hosted page may be submitted without a card: a trial with `payment_method_collection: if_required`. */
export function cardOptional(emulator: Emulator, session: Stripe.Checkout.Session): boolean {
  if (session.mode !== "subscription" || session.payment_method_collection !== "if_required") return false;
  return sessionTrial(emulator, session, session.created).trialEnd !== null;
}

/** The bank debit finally clears or bounces: Stripe's `checkout.session.async_payment_*`. */
export function settleAsyncPayment(emulator: Emulator, sessionId: string, outcome: "succeeded" | "failed"): Stripe.Checkout.Session {
  const session = requireSession(emulator, sessionId);
  const paymentIntentId = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
  const paymentIntent = paymentIntentId ? emulator.state.paymentIntents[paymentIntentId] : undefined;
  if (!paymentIntent || paymentIntent.status !== "processing") {
    throw invalidState("This Checkout Session has no payment waiting for an asynchronous outcome.");
  }
  const context: RequestContext = { requestId: null, idempotencyKey: null };
  const charge = settleProcessingPayment(emulator, paymentIntent, outcome === "succeeded");
  if (outcome === "succeeded") {
    session.payment_status = "paid";
    emulator.emit("checkout.session.async_payment_succeeded", session, context);
    emulator.emit("payment_intent.succeeded", paymentIntent, context);
    if (charge) emulator.emit("charge.succeeded", charge, context);
  } else {
    emulator.emit("checkout.session.async_payment_failed", session, context);
    emulator.emit("payment_intent.payment_failed", paymentIntent, context);
    if (charge) emulator.emit("charge.failed", charge, context);
  }
  return session;
}

export function expireSession(emulator: Emulator, session: Stripe.Checkout.Session, context: RequestContext): Stripe.Checkout.Session {
  if (session.status !== "open") throw invalidState(`Only Checkout Sessions with a status of \`open\` can be expired; this one is ${session.status}.`);
  session.status = "expired";
  session.url = null;
  emulator.emit("checkout.session.expired", session, context);
  // Stripe cancels the SetupIntent of a setup-mode session that can no longer be completed.
  const setupIntent = sessionSetupIntent(emulator, session);
  if (setupIntent && setupIntent.status !== "succeeded" && setupIntent.status !== "canceled") cancelSetupIntent(emulator, setupIntent, "abandoned", context);
  return session;
}

/** Sessions past `expires_at` expire on their own, like Stripe's. */
export function expireDueSessions(emulator: Emulator): number {
  const now = emulator.now();
  let expired = 0;
  for (const session of Object.values(emulator.state.checkoutSessions)) {
    if (session.status === "open" && session.expires_at <= now) {
      expireSession(emulator, session, { requestId: null, idempotencyKey: null });
      expired++;
    }
  }
  return expired;
}

export function lineItemsList(emulator: Emulator, sessionId: string, params: FormObject) {
  return listPage(emulator.state.checkoutLineItems[sessionId] ?? [], params, `/v1/checkout/sessions/${sessionId}/line_items`);
}

/** The CLI's `payment_pages/:id/confirm` call: pay the session with a payment method. */
function confirmPaymentPage(emulator: Emulator, request: ApiRequest): Stripe.Checkout.Session {
  const session = requireSession(emulator, pathParam(request, "id"));
  const paymentMethod = resolvePaymentMethod(emulator, requiredString(request.params, "payment_method"));
  const expected = optionalInteger(request.params, "expected_amount");
  if (expected !== undefined && expected !== session.amount_total) {
    throw invalidParam("expected_amount", `The expected amount (${expected}) does not match the session total (${session.amount_total}).`);
  }
  const outcome = completeSession(emulator, session, paymentMethod, { authenticated: false, email: null, name: null }, request.context);
  if (outcome.kind === "declined") throw invalidState(outcome.message, "card_declined");
  return session;
}

export const checkoutRoutes: Route[] = [
  route("POST", "/v1/checkout/sessions", createSession),
  route("GET", "/v1/checkout/sessions/:id", (emulator, request) => requireSession(emulator, pathParam(request, "id"))),
  route("POST", "/v1/checkout/sessions/:id", (emulator, request) => {
    const session = requireSession(emulator, pathParam(request, "id"));
    session.metadata = mergeMetadata(session.metadata, request.params);
    return session;
  }),
  route("POST", "/v1/checkout/sessions/:id/expire", (emulator, request) =>
    expireSession(emulator, requireSession(emulator, pathParam(request, "id")), request.context),
  ),
  route("GET", "/v1/checkout/sessions/:id/line_items", (emulator, request) => {
    const session = requireSession(emulator, pathParam(request, "id"));
    return lineItemsList(emulator, session.id, request.params);
  }),
  route("GET", "/v1/checkout/sessions", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const paymentIntent = optionalString(request.params, "payment_intent");
    const subscription = optionalString(request.params, "subscription");
    const status = optionalString(request.params, "status");
    const inRange = createdFilter(request.params);
    const items = Object.values(emulator.state.checkoutSessions).filter(
      (session) =>
        (!customer || session.customer === customer) &&
        (!paymentIntent || session.payment_intent === paymentIntent) &&
        (!subscription || session.subscription === subscription) &&
        (!status || session.status === status) &&
        inRange(session.created),
    );
    return listPage(items, request.params, "/v1/checkout/sessions");
  }),
  route("GET", "/v1/payment_pages/:id", (emulator, request) => requireSession(emulator, pathParam(request, "id"))),
  route("POST", "/v1/payment_pages/:id/confirm", confirmPaymentPage),
];
