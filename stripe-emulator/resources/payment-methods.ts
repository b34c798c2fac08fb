// Payment methods: cards from test numbers or test tokens (`pm_card_visa`, `tok_visa`),
// SEPA debits for delayed payments, attach/detach to customers.
import type Stripe from "stripe";
import { cardNumberForToken, findTestCard, ibanFingerprint, normaliseIban, type TestCard } from "../engines/cards";
import type { Emulator, RequestContext } from "../emulator";
import { invalidParam, invalidState, noSuchObject, StripeApiError } from "../http/errors";
import { isFormObject, type FormObject } from "../http/form";
import { newId } from "../http/ids";
import { listPage } from "../http/list";
import { mergeMetadata, optionalObject, optionalString, requiredString } from "../http/params";
import { pathParam, route, type Route } from "../http/router";
import { requireCustomer } from "./customers";

function emptyBillingDetails(): Stripe.PaymentMethod.BillingDetails {
  return { address: null, email: null, name: null, phone: null, tax_id: null };
}

function billingDetailsFrom(params: FormObject | undefined): Stripe.PaymentMethod.BillingDetails {
  const details = emptyBillingDetails();
  if (!params) return details;
  details.email = optionalString(params, "email") ?? null;
  details.name = optionalString(params, "name") ?? null;
  details.phone = optionalString(params, "phone") ?? null;
  const address = optionalObject(params, "address");
  if (address) {
    details.address = {
      city: optionalString(address, "city") ?? null,
      country: optionalString(address, "country") ?? null,
      line1: optionalString(address, "line1") ?? null,
      line2: optionalString(address, "line2") ?? null,
      postal_code: optionalString(address, "postal_code") ?? null,
      state: optionalString(address, "state") ?? null,
    };
  }
  return details;
}

export function createCardPaymentMethod(
  emulator: Emulator,
  card: TestCard,
  billingDetails: Stripe.PaymentMethod.BillingDetails = emptyBillingDetails(),
): Stripe.PaymentMethod {
  const paymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: billingDetails,
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 3,
      fingerprint: `fp_${card.number.slice(-8)}`,
      funding: "credit",
      generated_from: null,
      last4: card.number.slice(-4),
      networks: { available: [card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: emulator.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  } satisfies Stripe.PaymentMethod;
  emulator.state.paymentMethods[paymentMethod.id] = paymentMethod;
  return paymentMethod;
}

export function createSepaDebitPaymentMethod(
  emulator: Emulator,
  iban: string,
  billingDetails: Stripe.PaymentMethod.BillingDetails,
): Stripe.PaymentMethod {
  const compact = normaliseIban(iban);
  const paymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    billing_details: billingDetails,
    created: emulator.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    sepa_debit: {
      bank_code: compact.slice(4, 9),
      branch_code: "",
      country: compact.slice(0, 2),
      fingerprint: ibanFingerprint(compact),
      generated_from: null,
      last4: compact.slice(-4),
    },
    type: "sepa_debit",
  } satisfies Stripe.PaymentMethod;
  emulator.state.paymentMethods[paymentMethod.id] = paymentMethod;
  return paymentMethod;
}

/** A stored payment method, or a fresh one made from a test token such as `pm_card_visa`. */
export function resolvePaymentMethod(emulator: Emulator, idOrToken: string, param = "payment_method"): Stripe.PaymentMethod {
  const stored = emulator.state.paymentMethods[idOrToken];
  if (stored) return stored;
  const number = cardNumberForToken(idOrToken);
  const card = number ? findTestCard(number) : undefined;
  if (card) return createCardPaymentMethod(emulator, card);
  throw noSuchObject("PaymentMethod", idOrToken, param);
}

export function attachPaymentMethod(
  emulator: Emulator,
  paymentMethod: Stripe.PaymentMethod,
  customerId: string,
  context: RequestContext,
): Stripe.PaymentMethod {
  if (paymentMethod.customer === customerId) return paymentMethod;
  paymentMethod.customer = customerId;
  emulator.emit("payment_method.attached", paymentMethod, context);
  return paymentMethod;
}

function createPaymentMethod(emulator: Emulator, params: FormObject): Stripe.PaymentMethod {
  const type = requiredString(params, "type");
  const billingDetails = billingDetailsFrom(optionalObject(params, "billing_details"));
  if (type === "card") {
    const cardParams = optionalObject(params, "card");
    const token = cardParams ? optionalString(cardParams, "token", "card[token]") : undefined;
    const number = token ? cardNumberForToken(token) : cardParams ? optionalString(cardParams, "number", "card[number]") : undefined;
    const card = number ? findTestCard(number) : undefined;
    if (!card) {
      throw new StripeApiError(402, {
        type: "card_error",
        code: "incorrect_number",
        param: "card[number]",
        message: "Your card number is incorrect.",
      });
    }
    const paymentMethod = createCardPaymentMethod(emulator, card, billingDetails);
    paymentMethod.metadata = mergeMetadata(null, params);
    return paymentMethod;
  }
  if (type === "sepa_debit") {
    const sepa = params.sepa_debit;
    const iban = isFormObject(sepa) ? optionalString(sepa, "iban", "sepa_debit[iban]") : undefined;
    if (!iban) throw invalidParam("sepa_debit[iban]", "Missing required param: sepa_debit[iban].", "parameter_missing");
    return createSepaDebitPaymentMethod(emulator, iban, billingDetails);
  }
  throw invalidParam("type", `The payment method type "${type}" is not supported by the local emulator.`);
}

export const paymentMethodRoutes: Route[] = [
  route("POST", "/v1/payment_methods", (emulator, request) => createPaymentMethod(emulator, request.params)),
  route("GET", "/v1/payment_methods/:id", (emulator, request) => {
    const id = pathParam(request, "id");
    const paymentMethod = emulator.state.paymentMethods[id];
    if (!paymentMethod) throw noSuchObject("PaymentMethod", id);
    return paymentMethod;
  }),
  route("POST", "/v1/payment_methods/:id", (emulator, request) => {
    const paymentMethod = resolvePaymentMethod(emulator, pathParam(request, "id"), "id");
    paymentMethod.metadata = mergeMetadata(paymentMethod.metadata, request.params);
    return paymentMethod;
  }),
  route("GET", "/v1/payment_methods", (emulator, request) => {
    const customer = optionalString(request.params, "customer");
    const type = optionalString(request.params, "type");
    const items = Object.values(emulator.state.paymentMethods).filter(
      (pm) => (!customer || pm.customer === customer) && (!type || pm.type === type),
    );
    return listPage(items, request.params, "/v1/payment_methods");
  }),
  route("GET", "/v1/customers/:id/payment_methods", (emulator, request) => {
    const customer = requireCustomer(emulator, pathParam(request, "id"));
    const type = optionalString(request.params, "type");
    const items = Object.values(emulator.state.paymentMethods).filter((pm) => pm.customer === customer.id && (!type || pm.type === type));
    return listPage(items, request.params, `/v1/customers/${customer.id}/payment_methods`);
  }),
  route("POST", "/v1/payment_methods/:id/attach", (emulator, request) => {
    const customer = requireCustomer(emulator, requiredString(request.params, "customer"), "customer");
    const paymentMethod = resolvePaymentMethod(emulator, pathParam(request, "id"), "id");
    return attachPaymentMethod(emulator, paymentMethod, customer.id, request.context);
  }),
  route("POST", "/v1/payment_methods/:id/detach", (emulator, request) => {
    const id = pathParam(request, "id");
    const paymentMethod = emulator.state.paymentMethods[id];
    if (!paymentMethod) throw noSuchObject("PaymentMethod", id);
    if (!paymentMethod.customer) {
      throw invalidState("The payment method you provided is not attached to a customer so detachment is impossible.", "payment_method_unexpected_state");
    }
    paymentMethod.customer = null;
    emulator.emit("payment_method.detached", paymentMethod, request.context);
    return paymentMethod;
  }),
];
