import "server-only";
import Stripe from "stripe";
import { stripe } from "./client";
import { stripeId } from "./ids";
import { checkoutIdempotencyKey, checkoutPageParams, openedCheckout, type CheckoutPage, type OpenedCheckout } from "./checkout";

// A card saved with a setup-mode Checkout Session, and charged later off-session (auto-recharge).

export interface CreateCardSetupSessionOptions {
  customerId: string;
  currency: string;
  page: CheckoutPage;
  metadata: Stripe.MetadataParam;
  idempotencyKey: string;
}

/**
 * A setup-mode Checkout Session that saves a card for off-session use: Stripe runs any 3-D Secure the bank asks
 * for now, so later charges need nobody present. `currency` is required by Stripe in setup mode; the metadata goes
 * on the session and on its SetupIntent.
 */
export async function createCardSetupSession(options: CreateCardSetupSessionOptions): Promise<OpenedCheckout> {
  const session = await stripe().checkout.sessions.create(
    {
      mode: "setup",
      customer: options.customerId,
      currency: options.currency.toLowerCase(),
      allowed_payment_method_types: ["card"],
      ...checkoutPageParams(options.page),
      metadata: options.metadata,
      setup_intent_data: { metadata: options.metadata },
    },
    { idempotencyKey: checkoutIdempotencyKey(options.idempotencyKey, options.page) },
  );
  return openedCheckout(session, options.page);
}

export interface SavedCard {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface CardSetupResult {
  sessionId: string;
  /** The Checkout Session's status: `open`, `complete` or `expired`. */
  status: Stripe.Checkout.Session.Status | null;
  setupIntentId: string | null;
  setupIntentStatus: Stripe.SetupIntent.Status | null;
  /** The saved card, once the SetupIntent succeeded; null before (or if it saved something other than a card). */
  paymentMethod: SavedCard | null;
  customerId: string | null;
  metadata: Stripe.Metadata;
}

function savedCardOf(paymentMethod: string | Stripe.PaymentMethod | null): SavedCard | null {
  if (typeof paymentMethod !== "object" || paymentMethod === null || !paymentMethod.card) return null;
  const { brand, last4, exp_month: expMonth, exp_year: expYear } = paymentMethod.card;
  return { id: paymentMethod.id, brand, last4, expMonth, expYear };
}

/** A setup-mode session as the app needs it after the customer returns (or `checkout.session.completed` arrives). */
export async function retrieveSetupSession(sessionId: string): Promise<CardSetupResult> {
  const session = await stripe().checkout.sessions.retrieve(sessionId, { expand: ["setup_intent.payment_method"] });
  const setupIntent = typeof session.setup_intent === "object" ? session.setup_intent : null;
  const succeeded = setupIntent?.status === "succeeded";
  return {
    sessionId: session.id,
    status: session.status,
    setupIntentId: stripeId(session.setup_intent),
    setupIntentStatus: setupIntent?.status ?? null,
    paymentMethod: succeeded ? savedCardOf(setupIntent.payment_method) : null,
    customerId: stripeId(session.customer),
    metadata: session.metadata ?? {},
  };
}

export interface ChargeSavedCardOptions {
  customerId: string;
  paymentMethodId: string;
  amountMinor: number;
  currency: string;
  description: string;
  metadata: Stripe.MetadataParam;
  /** One per recharge: a retry after a timeout or a 5xx must send the same key, so Stripe charges at most once. */
  idempotencyKey: string;
}

export type SavedCardCharge =
  | { outcome: "succeeded"; paymentIntentId: string; chargeId: string | null }
  | { outcome: "processing"; paymentIntentId: string }
  | {
      /** `requires_action`: the bank wants the customer to authenticate; `declined`: the card was refused. */
      outcome: "requires_action" | "declined";
      paymentIntentId: string | null;
      code: string | null;
      declineCode: string | null;
      message: string;
    };

/** Stripe's answer when the issuer asks for 3-D Secure on a payment made without the customer. */
function needsAuthentication(code: string | null | undefined, declineCode: string | null | undefined): boolean {
  return code === "authentication_required" || declineCode === "authentication_required";
}

/** What a PaymentIntent that came back without an error means for the app. */
function chargeOfPaymentIntent(paymentIntent: Stripe.PaymentIntent): SavedCardCharge {
  if (paymentIntent.status === "succeeded") {
    return { outcome: "succeeded", paymentIntentId: paymentIntent.id, chargeId: stripeId(paymentIntent.latest_charge) };
  }
  if (paymentIntent.status === "processing") return { outcome: "processing", paymentIntentId: paymentIntent.id };
  const error = paymentIntent.last_payment_error;
  // Off-session Stripe answers a needed authentication with a 402 rather than `requires_action`; read both.
  const outcome = paymentIntent.status === "requires_action" || needsAuthentication(error?.code, error?.decline_code) ? "requires_action" : "declined";
  return {
    outcome,
    paymentIntentId: paymentIntent.id,
    code: error?.code ?? (outcome === "requires_action" ? "authentication_required" : null),
    declineCode: error?.decline_code ?? null,
    message: error?.message ?? `The payment is ${paymentIntent.status}.`,
  };
}

/**
 * Charges a saved card with the customer away: a PaymentIntent with `off_session` and `confirm`, keyed by
 * `idempotencyKey`. Card errors (402: declined, or authentication needed) are outcomes, not exceptions; so is a
 * payment method Stripe no longer accepts (detached or deleted), since retrying cannot fix it. Anything else
 * (network, rate limit, Stripe's 5xx) is thrown, for the caller to retry later with the same key.
 */
export async function chargeSavedCard(options: ChargeSavedCardOptions): Promise<SavedCardCharge> {
  try {
    const paymentIntent = await stripe().paymentIntents.create(
      {
        amount: options.amountMinor,
        currency: options.currency.toLowerCase(),
        customer: options.customerId,
        payment_method: options.paymentMethodId,
        // The saved card is confirmed server-side: nothing may redirect the (absent) customer.
        automatic_payment_methods: { enabled: true, allow_redirects: "never" },
        off_session: true,
        confirm: true,
        description: options.description,
        metadata: options.metadata,
      },
      { idempotencyKey: options.idempotencyKey },
    );
    return chargeOfPaymentIntent(paymentIntent);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) {
      return {
        outcome: needsAuthentication(error.code, error.decline_code) ? "requires_action" : "declined",
        paymentIntentId: error.payment_intent?.id ?? null,
        code: error.code ?? null,
        declineCode: error.decline_code ?? null,
        message: error.message,
      };
    }
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.param === "payment_method") {
      return { outcome: "declined", paymentIntentId: error.payment_intent?.id ?? null, code: error.code ?? null, declineCode: null, message: error.message };
    }
    throw error;
  }
}
