// Payment intents (create/confirm/cancel/update/list) and charges (retrieve/update/list).
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, invalidState, noSuchObject } from "../http/errors";
import type { FormObject } from "../http/form";
import { createdFilter, listPage } from "../http/list";
import {
  mergeMetadata,
  nullableString,
  optionalBoolean,
  optionalEnum,
  optionalObject,
  optionalString,
  paymentMethodTypesFrom,
  requiredInteger,
  requiredString,
} from "../http/params";
import { attemptPayment, createPaymentIntentRecord, emitPaymentOutcome } from "../engines/payments";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { changedAttributes, requireCustomer } from "./customers";
import { resolvePaymentMethod } from "./payment-methods";

export function requirePaymentIntent(emulator: Emulator, id: string, param = "id"): Stripe.PaymentIntent {
  const paymentIntent = emulator.state.paymentIntents[id];
  if (!paymentIntent) throw noSuchObject("payment_intent", id, param);
  return paymentIntent;
}

export function requireCharge(emulator: Emulator, id: string, param = "id"): Stripe.Charge {
  const charge = emulator.state.charges[id];
  if (!charge) throw noSuchObject("charge", id, param);
  return charge;
}

export function shippingFrom(params: FormObject | undefined): Stripe.PaymentIntent.Shipping | null {
  if (!params) return null;
  const address = optionalObject(params, "address", "shipping[address]");
  return {
    address: {
      city: address ? (optionalString(address, "city") ?? null) : null,
      country: address ? (optionalString(address, "country") ?? null) : null,
      line1: address ? (optionalString(address, "line1") ?? null) : null,
      line2: address ? (optionalString(address, "line2") ?? null) : null,
      postal_code: address ? (optionalString(address, "postal_code") ?? null) : null,
      state: address ? (optionalString(address, "state") ?? null) : null,
    },
    carrier: optionalString(params, "carrier") ?? null,
    name: optionalString(params, "name") ?? "",
    phone: optionalString(params, "phone") ?? null,
    tracking_number: optionalString(params, "tracking_number") ?? null,
  };
}

/** `off_session` is a boolean, or `one_off` / `recurring` (both mean the customer is not there). */
function offSessionParam(params: FormObject): boolean {
  const raw = optionalString(params, "off_session");
  if (raw === "one_off" || raw === "recurring") return true;
  return optionalBoolean(params, "off_session") ?? false;
}

/**
 * Confirm: charge the payment method; a decline answers 402 with the intent attached. Off-session (a saved card
 * charged while the customer is away) a card that needs authentication fails with `authentication_required`.
 */
function confirm(emulator: Emulator, paymentIntent: Stripe.PaymentIntent, paymentMethodParam: string | undefined, request: ApiRequest) {
  if (paymentIntent.status === "succeeded" || paymentIntent.status === "canceled" || paymentIntent.status === "processing") {
    throw invalidState(
      `This PaymentIntent's status is ${paymentIntent.status}, so it cannot be confirmed.`,
      "payment_intent_unexpected_state",
    );
  }
  const paymentMethodId =
    paymentMethodParam ?? (typeof paymentIntent.payment_method === "string" ? paymentIntent.payment_method : paymentIntent.payment_method?.id);
  if (!paymentMethodId) {
    throw invalidParam("payment_method", "You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_intent_unexpected_state");
  }
  const paymentMethod = resolvePaymentMethod(emulator, paymentMethodId);
  const offSession = offSessionParam(request.params);
  const attempt = attemptPayment(emulator, paymentIntent, paymentMethod, { offSession });
  emitPaymentOutcome(emulator, attempt, request.context);
  if (attempt.kind === "failed") throw attempt.error;
  return paymentIntent;
}

function createPaymentIntent(emulator: Emulator, request: ApiRequest): Stripe.PaymentIntent {
  const params = request.params;
  const amount = requiredInteger(params, "amount");
  if (amount < 1) throw invalidParam("amount", "This value must be greater than or equal to 1.", "amount_too_small");
  const customer = optionalString(params, "customer");
  if (customer) requireCustomer(emulator, customer, "customer");
  const paymentMethodTypes = paymentMethodTypesFrom(params);
  const automatic = optionalObject(params, "automatic_payment_methods");
  const paymentIntent = createPaymentIntentRecord(emulator, {
    amount,
    currency: requiredString(params, "currency").toLowerCase(),
    customer: customer ?? null,
    description: optionalString(params, "description") ?? null,
    metadata: mergeMetadata(null, params),
    paymentMethodTypes: paymentMethodTypes.types,
    allowedPaymentMethodTypes: paymentMethodTypes.allowed,
    automaticPaymentMethods: automatic
      ? {
          enabled: optionalBoolean(automatic, "enabled", "automatic_payment_methods[enabled]") ?? false,
          allow_redirects: optionalEnum(automatic, "allow_redirects", ["always", "never"], "automatic_payment_methods[allow_redirects]"),
        }
      : null,
    receiptEmail: optionalString(params, "receipt_email") ?? null,
    shipping: shippingFrom(optionalObject(params, "shipping")),
    setupFutureUsage: optionalEnum(params, "setup_future_usage", ["off_session", "on_session"]) ?? null,
  });
  const paymentMethod = optionalString(params, "payment_method");
  if (paymentMethod) {
    paymentIntent.payment_method = resolvePaymentMethod(emulator, paymentMethod).id;
    paymentIntent.status = "requires_confirmation";
  }
  emulator.emit("payment_intent.created", paymentIntent, request.context);
  if (optionalBoolean(params, "confirm")) confirm(emulator, paymentIntent, undefined, request);
  return paymentIntent;
}

function updatePaymentIntent(emulator: Emulator, request: ApiRequest): Stripe.PaymentIntent {
  const paymentIntent = requirePaymentIntent(emulator, pathParam(request, "id"));
  const params = request.params;
  paymentIntent.metadata = mergeMetadata(paymentIntent.metadata, params);
  paymentIntent.description = nullableString(params, "description", paymentIntent.description);
  paymentIntent.receipt_email = nullableString(params, "receipt_email", paymentIntent.receipt_email);
  const paymentMethod = optionalString(params, "payment_method");
  if (paymentMethod) {
    paymentIntent.payment_method = resolvePaymentMethod(emulator, paymentMethod).id;
    paymentIntent.status = "requires_confirmation";
  }
  // Stripe has no `payment_intent.updated` event; updates are silent.
  return paymentIntent;
}

function updateCharge(emulator: Emulator, request: ApiRequest): Stripe.Charge {
  const charge = requireCharge(emulator, pathParam(request, "id"));
  const before = { ...charge };
  charge.metadata = mergeMetadata(charge.metadata, request.params);
  charge.description = nullableString(request.params, "description", charge.description);
  emulator.emit("charge.updated", charge, request.context, changedAttributes(before, charge));
  return charge;
}

export const paymentIntentRoutes: Route[] = [
  route("POST", "/v1/payment_intents", createPaymentIntent),
  route("GET", "/v1/payment_intents/:id", (emulator, request) => requirePaymentIntent(emulator, pathParam(request, "id"))),
  route("POST", "/v1/payment_intents/:id", updatePaymentIntent),
  route("POST", "/v1/payment_intents/:id/confirm", (emulator, request) =>
    confirm(emulator, requirePaymentIntent(emulator, pathParam(request, "id")), optionalString(request.params, "payment_method"), request),
  ),
  route("POST", "/v1/payment_intents/:id/cancel", (emulator, request) => {
    const paymentIntent = requirePaymentIntent(emulator, pathParam(request, "id"));
    if (paymentIntent.status === "succeeded" || paymentIntent.status === "canceled") {
      throw invalidState(`You cannot cancel this PaymentIntent because it has a status of ${paymentIntent.status}.`, "payment_intent_unexpected_state");
    }
    paymentIntent.status = "canceled";
    paymentIntent.canceled_at = emulator.now();
    paymentIntent.cancellation_reason = optionalEnum(request.params, "cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]) ?? null;
    emulator.emit("payment_intent.canceled", paymentIntent, request.context);
    return paymentIntent;
  }),
  route("GET", "/v1/payment_intents", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const inRange = createdFilter(request.params);
    const items = Object.values(emulator.state.paymentIntents).filter(
      (pi) => (!customer || pi.customer === customer) && inRange(pi.created),
    );
    return listPage(items, request.params, "/v1/payment_intents");
  }),
  route("GET", "/v1/charges/:id", (emulator, request) => requireCharge(emulator, pathParam(request, "id"))),
  route("POST", "/v1/charges/:id", updateCharge),
  route("GET", "/v1/charges", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const paymentIntent = optionalString(request.params, "payment_intent");
    const inRange = createdFilter(request.params);
    const items = Object.values(emulator.state.charges).filter(
      (charge) => (!customer || charge.customer === customer) && (!paymentIntent || charge.payment_intent === paymentIntent) && inRange(charge.created),
    );
    return listPage(items, request.params, "/v1/charges");
  }),
];
