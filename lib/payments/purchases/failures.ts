import type Stripe from "stripe";

// What a person reads when a payment did not go through: one plain sentence per reason, chosen from
// Stripe's machine codes (decline_code first, then code), never Stripe's own message, which is written
// for developers ("The payment failed.", "The provided PaymentMethod has failed authentication…").
// Every failure stored on a purchase (Purchase.failureMessage) comes from here. The sentences say what
// happened and, where it helps, what to do; they never start with "Payment failed", which the screens
// that show them already say.

export const FAILURE_SENTENCES = {
  card_declined: "Your card was declined. Try another card, or ask your bank why.",
  insufficient_funds: "Your card doesn't have enough funds for this payment.",
  expired_card: "Your card has expired. Try another card.",
  incorrect_cvc: "The card's security code (CVC) was wrong.",
  incorrect_number: "The card number was wrong.",
  authentication_failed: "Your bank couldn't confirm it was you, so the payment was stopped.",
  authentication_not_completed: "Your bank asked you to confirm the payment, and it wasn't confirmed.",
  processing_error: "The card couldn't be charged because of a processing error. Please try again.",
  bank_payment_failed: "Your bank payment didn't go through.",
  // Off-session only (auto-recharge): nobody is there to confirm, so the bank's request ends the charge.
  authentication_required_off_session: "Your bank wants you to confirm each payment with this card, so it can't be charged automatically.",
  card_unusable: "The saved card can no longer be charged (it was removed or replaced).",
  unknown: "The payment didn't go through.",
} as const;

export type FailureReason = keyof typeof FAILURE_SENTENCES;

// Codes Stripe uses both as a decline_code and as an error code, with the same meaning.
const REASON_BY_CARD_CODE: Readonly<Record<string, FailureReason>> = {
  insufficient_funds: "insufficient_funds",
  expired_card: "expired_card",
  incorrect_cvc: "incorrect_cvc",
  invalid_cvc: "incorrect_cvc",
  incorrect_number: "incorrect_number",
  invalid_number: "incorrect_number",
  authentication_required: "authentication_not_completed",
  processing_error: "processing_error",
};

// Stripe's decline codes (https://docs.stripe.com/declines/codes) grouped by what the person can do.
const REASON_BY_DECLINE_CODE: Readonly<Record<string, FailureReason>> = {
  ...REASON_BY_CARD_CODE,
  card_velocity_exceeded: "insufficient_funds",
  withdrawal_count_limit_exceeded: "insufficient_funds",
  try_again_later: "processing_error",
  issuer_not_available: "processing_error",
};

// Stripe's error codes (https://docs.stripe.com/error-codes) for failures that are not card declines.
const REASON_BY_CODE: Readonly<Record<string, FailureReason>> = {
  ...REASON_BY_CARD_CODE,
  card_declined: "card_declined",
  payment_intent_authentication_failure: "authentication_failed",
  // A delayed (bank debit) payment that bounced after it was submitted.
  payment_intent_payment_attempt_failed: "bank_payment_failed",
  payment_method_provider_decline: "bank_payment_failed",
};

/** Why a payment failed, from the PaymentIntent's last_payment_error. */
export function failureReason(error: Pick<Stripe.PaymentIntent.LastPaymentError, "code" | "decline_code"> | null | undefined): FailureReason {
  if (!error) return "unknown";
  const byDecline = error.decline_code ? REASON_BY_DECLINE_CODE[error.decline_code] : undefined;
  if (byDecline) return byDecline;
  const byCode = error.code ? REASON_BY_CODE[error.code] : undefined;
  if (byCode) return byCode;
  // Any other decline code (do_not_honor, lost_card, fraudulent, …) is a decline the bank won't explain.
  return error.decline_code ? "card_declined" : "unknown";
}

/** The sentence stored on a purchase when its payment fails. */
export function paymentFailureMessage(error: Pick<Stripe.PaymentIntent.LastPaymentError, "code" | "decline_code"> | null | undefined): string {
  return FAILURE_SENTENCES[failureReason(error)];
}

/**
 * The sentence stored when a saved card charged with the customer away (auto-recharge) fails: as
 * paymentFailureMessage, except that a bank asking for authentication, and a card Stripe no longer
 * has, get sentences that say why it cannot work without the person.
 */
export function offSessionFailureMessage(error: Pick<Stripe.PaymentIntent.LastPaymentError, "code" | "decline_code"> | null | undefined): string {
  if (error?.code === "authentication_required" || error?.decline_code === "authentication_required") return FAILURE_SENTENCES.authentication_required_off_session;
  if (error?.code === "resource_missing") return FAILURE_SENTENCES.card_unusable;
  return paymentFailureMessage(error);
}
