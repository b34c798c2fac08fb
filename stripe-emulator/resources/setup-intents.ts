// SetupIntents: saving a card for later off-session payments. Checkout's setup mode creates one per session and
// confirms it from the hosted page; the API can create, confirm, retrieve, list and cancel them.
import type Stripe from "stripe";
import { DECLINE_MESSAGES } from "../engines/cards";
import type { Emulator, RequestContext } from "../emulator";
import { invalidState, noSuchObject } from "../http/errors";
import type { FormObject } from "../http/form";
import { clientSecretFor, newId } from "../http/ids";
import { createdFilter, listPage } from "../http/list";
import { mergeMetadata, optionalBoolean, optionalEnum, optionalObject, optionalString, paymentMethodTypesFrom } from "../http/params";
import { asksForAuthentication, cardBehaviourOf } from "../engines/payments";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { requireCustomer } from "./customers";
import { attachPaymentMethod, resolvePaymentMethod } from "./payment-methods";

export interface SetupIntentFields {
  customer: string | null;
  description: string | null;
  metadata: Stripe.Metadata;
  paymentMethodTypes: string[];
  allowedPaymentMethodTypes?: string[] | null;
  usage: "off_session" | "on_session";
}

export function createSetupIntentRecord(emulator: Emulator, fields: SetupIntentFields): Stripe.SetupIntent {
  const id = newId("seti");
  const setupIntent = {
    id,
    object: "setup_intent",
    allowed_payment_method_types: fields.allowedPaymentMethodTypes ?? null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: clientSecretFor(id),
    created: emulator.now(),
    customer: fields.customer,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    // Stripe records each confirmation as a SetupAttempt (`setatt_…`); the emulator keeps no attempts.
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: fields.paymentMethodTypes.includes("card")
      ? { card: { mandate_options: null, network: null, request_three_d_secure: "automatic" } }
      : {},
    payment_method_types: fields.paymentMethodTypes,
    single_use_mandate: null,
    status: "requires_payment_method",
    usage: fields.usage,
  } satisfies Stripe.SetupIntent;
  emulator.state.setupIntents[id] = setupIntent;
  return setupIntent;
}

export function requireSetupIntent(emulator: Emulator, id: string, param = "id"): Stripe.SetupIntent {
  const setupIntent = emulator.state.setupIntents[id];
  if (!setupIntent) throw noSuchObject("setupintent", id, param);
  return setupIntent;
}

export type SetupOutcome = { kind: "succeeded" } | { kind: "requires_action" } | { kind: "failed"; message: string };

/**
 * Confirm a SetupIntent with a card, as Stripe does: a card that asks for 3-D Secure waits in `requires_action`
 * until `authenticated`; a generic decline fails the setup (`setup_intent.setup_failed`); anything else succeeds,
 * and the card is attached to the intent's customer (`payment_method.attached`, then `setup_intent.succeeded`).
 * As with a $0 verification, cards that only fail charges (0341, insufficient funds 9995) are saved.
 */
export function confirmSetupIntent(
  emulator: Emulator,
  setupIntent: Stripe.SetupIntent,
  paymentMethod: Stripe.PaymentMethod,
  options: { authenticated: boolean },
  context: RequestContext,
): SetupOutcome {
  if (setupIntent.status === "succeeded" || setupIntent.status === "canceled") {
    throw invalidState(`This SetupIntent's status is ${setupIntent.status}, so it cannot be confirmed.`, "setup_intent_unexpected_state");
  }
  const behaviour = cardBehaviourOf(paymentMethod);
  setupIntent.last_setup_error = null;
  setupIntent.next_action = null;
  if (behaviour === "decline_generic") {
    setupIntent.status = "requires_payment_method";
    setupIntent.payment_method = null;
    setupIntent.last_setup_error = {
      code: "card_declined",
      decline_code: "generic_decline",
      doc_url: "https://docs.stripe.com/error-codes/card-declined",
      message: DECLINE_MESSAGES.generic_decline,
      payment_method: paymentMethod,
      type: "card_error",
    };
    emulator.emit("setup_intent.setup_failed", setupIntent, context);
    return { kind: "failed", message: DECLINE_MESSAGES.generic_decline };
  }
  if (asksForAuthentication(behaviour) && !options.authenticated) {
    setupIntent.status = "requires_action";
    setupIntent.payment_method = paymentMethod.id;
    setupIntent.next_action = { type: "use_stripe_sdk", use_stripe_sdk: {} };
    emulator.emit("setup_intent.requires_action", setupIntent, context);
    return { kind: "requires_action" };
  }
  const customerId = typeof setupIntent.customer === "string" ? setupIntent.customer : null;
  if (customerId) attachPaymentMethod(emulator, paymentMethod, customerId, context);
  setupIntent.status = "succeeded";
  setupIntent.payment_method = paymentMethod.id;
  emulator.emit("setup_intent.succeeded", setupIntent, context);
  return { kind: "succeeded" };
}

/** The customer failed the bank's challenge: back to `requires_payment_method` with Stripe's error, `setup_intent.setup_failed`. */
export function failSetupAuthentication(emulator: Emulator, setupIntent: Stripe.SetupIntent, context: RequestContext): void {
  if (setupIntent.status !== "requires_action") return;
  const paymentMethodId = typeof setupIntent.payment_method === "string" ? setupIntent.payment_method : setupIntent.payment_method?.id;
  const paymentMethod = paymentMethodId ? emulator.state.paymentMethods[paymentMethodId] : undefined;
  setupIntent.status = "requires_payment_method";
  setupIntent.next_action = null;
  setupIntent.payment_method = null;
  setupIntent.last_setup_error = {
    code: "setup_intent_authentication_failure",
    doc_url: "https://docs.stripe.com/error-codes/setup-intent-authentication-failure",
    message:
      "The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to fulfill this SetupIntent again.",
    ...(paymentMethod ? { payment_method: paymentMethod } : {}),
    type: "invalid_request_error",
  };
  emulator.emit("setup_intent.setup_failed", setupIntent, context);
}

export function cancelSetupIntent(
  emulator: Emulator,
  setupIntent: Stripe.SetupIntent,
  reason: Stripe.SetupIntent.CancellationReason | null,
  context: RequestContext,
): Stripe.SetupIntent {
  if (setupIntent.status === "succeeded" || setupIntent.status === "canceled") {
    throw invalidState(`You cannot cancel this SetupIntent because it has a status of ${setupIntent.status}.`, "setup_intent_unexpected_state");
  }
  setupIntent.status = "canceled";
  setupIntent.cancellation_reason = reason;
  setupIntent.next_action = null;
  emulator.emit("setup_intent.canceled", setupIntent, context);
  return setupIntent;
}

/** The API can only confirm a card that needs no challenge; a 3-D Secure card stays `requires_action`, as without Stripe.js. */
function confirmFromApi(emulator: Emulator, setupIntent: Stripe.SetupIntent, paymentMethodParam: string | undefined, request: ApiRequest): Stripe.SetupIntent {
  const paymentMethodId = paymentMethodParam ?? (typeof setupIntent.payment_method === "string" ? setupIntent.payment_method : setupIntent.payment_method?.id);
  if (!paymentMethodId) {
    throw invalidState("You cannot confirm this SetupIntent because it's missing a payment method.", "setup_intent_unexpected_state");
  }
  const paymentMethod = resolvePaymentMethod(emulator, paymentMethodId);
  confirmSetupIntent(emulator, setupIntent, paymentMethod, { authenticated: false }, request.context);
  return setupIntent;
}

function createSetupIntent(emulator: Emulator, request: ApiRequest): Stripe.SetupIntent {
  const params = request.params;
  const customer = optionalString(params, "customer");
  if (customer) requireCustomer(emulator, customer, "customer");
  const paymentMethodTypes = paymentMethodTypesFrom(params);
  const setupIntent = createSetupIntentRecord(emulator, {
    customer: customer ?? null,
    description: optionalString(params, "description") ?? null,
    metadata: mergeMetadata(null, params),
    paymentMethodTypes: paymentMethodTypes.types,
    allowedPaymentMethodTypes: paymentMethodTypes.allowed,
    usage: optionalEnum(params, "usage", ["off_session", "on_session"]) ?? "off_session",
  });
  const paymentMethod = optionalString(params, "payment_method");
  if (paymentMethod) {
    setupIntent.payment_method = resolvePaymentMethod(emulator, paymentMethod).id;
    setupIntent.status = "requires_confirmation";
  }
  emulator.emit("setup_intent.created", setupIntent, request.context);
  if (optionalBoolean(params, "confirm")) confirmFromApi(emulator, setupIntent, undefined, request);
  return setupIntent;
}

export const setupIntentRoutes: Route[] = [
  route("POST", "/v1/setup_intents", createSetupIntent),
  route("GET", "/v1/setup_intents/:id", (emulator, request) => requireSetupIntent(emulator, pathParam(request, "id"))),
  route("POST", "/v1/setup_intents/:id", (emulator, request) => {
    const setupIntent = requireSetupIntent(emulator, pathParam(request, "id"));
    setupIntent.metadata = mergeMetadata(setupIntent.metadata, request.params);
    return setupIntent;
  }),
  route("POST", "/v1/setup_intents/:id/confirm", (emulator, request) =>
    confirmFromApi(emulator, requireSetupIntent(emulator, pathParam(request, "id")), optionalString(request.params, "payment_method"), request),
  ),
  route("POST", "/v1/setup_intents/:id/cancel", (emulator, request) =>
    cancelSetupIntent(
      emulator,
      requireSetupIntent(emulator, pathParam(request, "id")),
      optionalEnum(request.params, "cancellation_reason", ["abandoned", "duplicate", "requested_by_customer"]) ?? null,
      request.context,
    ),
  ),
  route("GET", "/v1/setup_intents", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const paymentMethod = optionalString(request.params, "payment_method");
    const inRange = createdFilter(request.params);
    const items = Object.values(emulator.state.setupIntents).filter(
      (setupIntent) =>
        (!customer || setupIntent.customer === customer) && (!paymentMethod || setupIntent.payment_method === paymentMethod) && inRange(setupIntent.created),
    );
    return listPage(items, request.params, "/v1/setup_intents");
  }),
];

/** `setup_intent_data` of a setup-mode Checkout Session: metadata and description for the session's SetupIntent. */
export function setupIntentDataFrom(params: FormObject): { metadata: Stripe.Metadata; description: string | null } {
  const data = optionalObject(params, "setup_intent_data") ?? {};
  return { metadata: mergeMetadata(null, data), description: optionalString(data, "description", "setup_intent_data[description]") ?? null };
}
