// The payment engine shared by the API, checkout and invoices: a payment intent
// charges a payment method and the test card decides the outcome (success, decline,
// authentication, dispute), exactly as Stripe's test mode does.
import type Stripe from "stripe";
import { statementDescriptor } from "../brand";
import { behaviourForLast4, DECLINE_MESSAGES, sepaDebitFails, type CardBehaviour } from "./cards";
import type { Emulator, RequestContext } from "../emulator";
import { StripeApiError } from "../http/errors";
import { clientSecretFor, newId } from "../http/ids";
import { openDispute } from "../resources/disputes";

export interface PaymentIntentFields {
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Stripe.Metadata;
  paymentMethodTypes: string[];
  allowedPaymentMethodTypes?: string[] | null;
  automaticPaymentMethods?: Stripe.PaymentIntent.AutomaticPaymentMethods | null;
  receiptEmail?: string | null;
  shipping?: Stripe.PaymentIntent.Shipping | null;
  setupFutureUsage?: Stripe.PaymentIntent.SetupFutureUsage | null;
}

export function createPaymentIntentRecord(emulator: Emulator, fields: PaymentIntentFields): Stripe.PaymentIntent {
  const id = newId("pi");
  const paymentIntent = {
    id,
    object: "payment_intent",
    allowed_payment_method_types: fields.allowedPaymentMethodTypes ?? null,
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: fields.automaticPaymentMethods ?? null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: clientSecretFor(id),
    confirmation_method: "automatic",
    created: emulator.now(),
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: fields.paymentMethodTypes,
    payment_record: null,
    processing: null,
    receipt_email: fields.receiptEmail ?? null,
    review: null,
    setup_future_usage: fields.setupFutureUsage ?? null,
    shipping: fields.shipping ?? null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.PaymentIntent;
  emulator.state.paymentIntents[paymentIntent.id] = paymentIntent;
  return paymentIntent;
}

function chargePaymentMethodDetails(paymentMethod: Stripe.PaymentMethod): Stripe.Charge.PaymentMethodDetails {
  const card = paymentMethod.card;
  if (!card) return { type: paymentMethod.type };
  return {
    type: "card",
    card: {
      amount_authorized: null,
      authorization_code: null,
      brand: card.brand,
      checks: card.checks,
      country: card.country,
      electronic_commerce_indicator: null,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      fingerprint: card.fingerprint,
      funding: card.funding,
      installments: null,
      last4: card.last4,
      mandate: null,
      network: card.brand,
      network_transaction_id: null,
      regulated_status: card.regulated_status,
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}

function createChargeRecord(
  emulator: Emulator,
  paymentIntent: Stripe.PaymentIntent,
  paymentMethod: Stripe.PaymentMethod,
  status: Stripe.Charge.Status,
  failure: CardDecline | null,
): Stripe.Charge {
  const succeeded = status === "succeeded";
  const id = newId(paymentMethod.type === "card" ? "ch" : "py");
  const charge = {
    id,
    object: "charge",
    amount: paymentIntent.amount,
    amount_captured: succeeded ? paymentIntent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? newId("txn") : null,
    billing_details: paymentMethod.billing_details,
    calculated_statement_descriptor: statementDescriptor(emulator.config.brand),
    captured: succeeded,
    created: emulator.now(),
    currency: paymentIntent.currency,
    customer: paymentIntent.customer,
    description: paymentIntent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...paymentIntent.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: failure ? "declined_by_network" : "approved_by_network",
      reason: failure?.declineCode ?? null,
      risk_level: "normal",
      risk_score: 20,
      seller_message: failure ? "The bank did not return any further details with this decline." : "Payment complete.",
      type: failure ? "issuer_declined" : "authorized",
    },
    paid: succeeded,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethod.id,
    payment_method_details: chargePaymentMethodDetails(paymentMethod),
    receipt_email: paymentIntent.receipt_email,
    receipt_number: null,
    // Stripe's are /receipts/payment/<opaque token>; here the token is the charge id, and the page is served (pages/receipt.ts).
    receipt_url: `${emulator.config.baseUrl}/receipts/payment/${id}`,
    refunded: false,
    // Since API version 2022-11-15 Stripe leaves `refunds` off charges (in API responses and webhook
    // payloads) unless expanded; an always-empty list here would tell a consumer there are none.
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.Charge;
  emulator.state.charges[charge.id] = charge;
  paymentIntent.latest_charge = charge.id;
  return charge;
}

export type PaymentAttempt =
  | { kind: "succeeded"; paymentIntent: Stripe.PaymentIntent; charge: Stripe.Charge }
  | { kind: "processing"; paymentIntent: Stripe.PaymentIntent; charge: Stripe.Charge }
  | { kind: "requires_action"; paymentIntent: Stripe.PaymentIntent }
  | { kind: "failed"; paymentIntent: Stripe.PaymentIntent; charge: Stripe.Charge; error: StripeApiError };

export function cardBehaviourOf(paymentMethod: Stripe.PaymentMethod): CardBehaviour {
  return paymentMethod.card ? behaviourForLast4(paymentMethod.card.last4) : "succeed";
}

/** Stripe's test IBANs: the failing ones (see `sepaDebitFails`) bounce later, all others succeed later. */
function sepaDebitSucceeds(paymentMethod: Stripe.PaymentMethod): boolean {
  const debit = paymentMethod.sepa_debit;
  return !debit || !sepaDebitFails(debit.fingerprint, debit.last4);
}

/** Why the issuer refuses a charge: Stripe's error `code` and `decline_code`, and the message it shows. */
export interface CardDecline {
  code: "card_declined" | "authentication_required";
  declineCode: "generic_decline" | "insufficient_funds" | "authentication_required";
  message: string;
}

/** Cards whose on-session payments and setups stop for 3-D Secure. */
export function asksForAuthentication(behaviour: CardBehaviour): boolean {
  return behaviour === "require_authentication" || behaviour === "require_authentication_always";
}

/**
 * Whether the card was set up for off-session use: a SetupIntent for `off_session` usage succeeded with it, or a
 * payment with `setup_future_usage: off_session` did. That is what lets 4000 0025 0000 3155 pay off-session.
 */
export function isSetUpForOffSession(emulator: Emulator, paymentMethodId: string): boolean {
  const setUp = Object.values(emulator.state.setupIntents).some(
    (setupIntent) => setupIntent.status === "succeeded" && setupIntent.usage === "off_session" && setupIntent.payment_method === paymentMethodId,
  );
  return (
    setUp ||
    Object.values(emulator.state.paymentIntents).some(
      (paymentIntent) => paymentIntent.status === "succeeded" && paymentIntent.setup_future_usage === "off_session" && paymentIntent.payment_method === paymentMethodId,
    )
  );
}

/** The decline a charge of this card gets, if any. Off-session, nobody is there to authenticate. */
function cardDecline(emulator: Emulator, paymentMethod: Stripe.PaymentMethod, options: { authenticated?: boolean; offSession?: boolean }): CardDecline | undefined {
  const behaviour = cardBehaviourOf(paymentMethod);
  if (behaviour === "decline_generic" || behaviour === "charge_customer_fail") {
    return { code: "card_declined", declineCode: "generic_decline", message: DECLINE_MESSAGES.generic_decline };
  }
  if (behaviour === "decline_insufficient_funds") {
    return { code: "card_declined", declineCode: "insufficient_funds", message: DECLINE_MESSAGES.insufficient_funds };
  }
  const needsAuthentication =
    behaviour === "require_authentication_always" || (behaviour === "require_authentication" && !isSetUpForOffSession(emulator, paymentMethod.id));
  if (options.offSession && !options.authenticated && needsAuthentication) {
    return { code: "authentication_required", declineCode: "authentication_required", message: DECLINE_MESSAGES.authentication_required };
  }
  return undefined;
}

/**
 * Charge a payment method for a payment intent, mutating it to its new status.
 * `offSession` charges (renewals, saved-card charges) never stop for authentication: a card that still needs it
 * fails with `authentication_required`, like Stripe's.
 * Emits no events: callers know the order Stripe uses for their flow.
 */
export function attemptPayment(
  emulator: Emulator,
  paymentIntent: Stripe.PaymentIntent,
  paymentMethod: Stripe.PaymentMethod,
  options: { authenticated?: boolean; offSession?: boolean } = {},
): PaymentAttempt {
  paymentIntent.payment_method = paymentMethod.id;
  paymentIntent.last_payment_error = null;
  paymentIntent.next_action = null;
  if (paymentMethod.type === "sepa_debit") {
    paymentIntent.status = "processing";
    const charge = createChargeRecord(emulator, paymentIntent, paymentMethod, "pending", null);
    return { kind: "processing", paymentIntent, charge };
  }
  const behaviour = cardBehaviourOf(paymentMethod);
  if (asksForAuthentication(behaviour) && !options.authenticated && !options.offSession) {
    paymentIntent.status = "requires_action";
    paymentIntent.next_action = { type: "use_stripe_sdk", use_stripe_sdk: {} };
    return { kind: "requires_action", paymentIntent };
  }
  const decline = cardDecline(emulator, paymentMethod, options);
  if (decline) {
    const charge = createChargeRecord(emulator, paymentIntent, paymentMethod, "failed", decline);
    const docUrl = `https://docs.stripe.com/error-codes/${decline.code.replaceAll("_", "-")}`;
    paymentIntent.status = "requires_payment_method";
    paymentIntent.last_payment_error = {
      charge: charge.id,
      code: decline.code,
      decline_code: decline.declineCode,
      doc_url: docUrl,
      message: decline.message,
      payment_method: paymentMethod,
      type: "card_error",
    };
    paymentIntent.payment_method = null;
    const error = new StripeApiError(402, {
      type: "card_error",
      code: decline.code,
      decline_code: decline.declineCode,
      message: decline.message,
      charge: charge.id,
      doc_url: docUrl,
      payment_intent: paymentIntent,
      payment_method: paymentMethod,
    });
    return { kind: "failed", paymentIntent, charge, error };
  }
  paymentIntent.status = "succeeded";
  paymentIntent.amount_received = paymentIntent.amount;
  const charge = createChargeRecord(emulator, paymentIntent, paymentMethod, "succeeded", null);
  return { kind: "succeeded", paymentIntent, charge };
}

/**
 * The customer failed (or abandoned) the bank's 3-D Secure challenge: as on Stripe, the PaymentIntent
 * goes back to `requires_payment_method` with `payment_intent_authentication_failure` and
 * `payment_intent.payment_failed` is sent. No charge is made: nothing was authorised.
 */
export function failAuthentication(emulator: Emulator, paymentIntent: Stripe.PaymentIntent, context: RequestContext): void {
  if (paymentIntent.status !== "requires_action") return;
  const paymentMethodId = typeof paymentIntent.payment_method === "string" ? paymentIntent.payment_method : paymentIntent.payment_method?.id;
  const paymentMethod = paymentMethodId ? emulator.state.paymentMethods[paymentMethodId] : undefined;
  paymentIntent.status = "requires_payment_method";
  paymentIntent.next_action = null;
  paymentIntent.payment_method = null;
  paymentIntent.last_payment_error = {
    code: "payment_intent_authentication_failure",
    doc_url: "https://docs.stripe.com/error-codes/payment-intent-authentication-failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    ...(paymentMethod ? { payment_method: paymentMethod } : {}),
    type: "invalid_request_error",
  };
  emulator.emit("payment_intent.payment_failed", paymentIntent, context);
}

/** Settle a processing (bank debit) payment: `succeed` true pays, false fails it. */
export function settleProcessingPayment(emulator: Emulator, paymentIntent: Stripe.PaymentIntent, succeed: boolean): Stripe.Charge | undefined {
  const chargeId = typeof paymentIntent.latest_charge === "string" ? paymentIntent.latest_charge : paymentIntent.latest_charge?.id;
  const charge = chargeId ? emulator.state.charges[chargeId] : undefined;
  if (succeed) {
    paymentIntent.status = "succeeded";
    paymentIntent.amount_received = paymentIntent.amount;
    if (charge) {
      charge.status = "succeeded";
      charge.paid = true;
      charge.captured = true;
      charge.amount_captured = charge.amount;
      charge.balance_transaction = newId("txn");
    }
  } else {
    paymentIntent.status = "requires_payment_method";
    paymentIntent.last_payment_error = {
      code: "payment_intent_payment_attempt_failed",
      message: "The payment failed.",
      type: "invalid_request_error",
    };
    if (charge) {
      charge.status = "failed";
      charge.failure_code = "insufficient_funds";
      charge.failure_message = "The customer's account has insufficient funds to cover this payment.";
    }
  }
  return charge;
}

export function defaultSepaOutcome(paymentMethod: Stripe.PaymentMethod): boolean {
  return sepaDebitSucceeds(paymentMethod);
}

/** Emit what Stripe emits for a finished attempt, and open a dispute for dispute test cards. */
export function emitPaymentOutcome(emulator: Emulator, attempt: PaymentAttempt, context: RequestContext): void {
  switch (attempt.kind) {
    case "succeeded": {
      emulator.emit("payment_intent.succeeded", attempt.paymentIntent, context);
      emulator.emit("charge.succeeded", attempt.charge, context);
      const paymentMethodId = attempt.charge.payment_method;
      const paymentMethod = paymentMethodId ? emulator.state.paymentMethods[paymentMethodId] : undefined;
      const behaviour = paymentMethod ? cardBehaviourOf(paymentMethod) : "succeed";
      if (behaviour === "dispute_fraudulent" || behaviour === "dispute_inquiry") {
        openDispute(emulator, attempt.charge, behaviour === "dispute_inquiry", context);
      }
      return;
    }
    case "processing":
      emulator.emit("payment_intent.processing", attempt.paymentIntent, context);
      emulator.emit("charge.pending", attempt.charge, context);
      return;
    case "requires_action":
      emulator.emit("payment_intent.requires_action", attempt.paymentIntent, context);
      return;
    case "failed":
      emulator.emit("charge.failed", attempt.charge, context);
      emulator.emit("payment_intent.payment_failed", attempt.paymentIntent, context);
      return;
  }
}
