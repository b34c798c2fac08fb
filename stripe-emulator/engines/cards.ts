// Stripe's test cards, test IBANs and test payment-method tokens, and what each one does.
// https://docs.stripe.com/testing
import { createHash } from "node:crypto";

export type CardBehaviour =
  | "succeed"
  | "decline_generic"
  | "decline_insufficient_funds"
  /**
   * 4000 0025 0000 3155: on-session payments and setups ask for authentication; off-session payments succeed once
   * the card has been set up for future use (a succeeded SetupIntent, or a payment with `setup_future_usage`),
   * and fail with `authentication_required` before that.
   */
  | "require_authentication"
  /** 4000 0027 6000 3184: every payment and setup asks for authentication, so off-session payments always fail (`authentication_required`). */
  | "require_authentication_always"
  /** Attaches fine, but every charge fails (renewal failures, past_due). */
  | "charge_customer_fail"
  | "dispute_fraudulent"
  | "dispute_inquiry";

export interface TestCard {
  number: string;
  brand: "visa" | "mastercard" | "amex";
  behaviour: CardBehaviour;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: "4242424242424242", brand: "visa", behaviour: "succeed" },
  { number: "5555555555554444", brand: "mastercard", behaviour: "succeed" },
  { number: "4000000000000002", brand: "visa", behaviour: "decline_generic" },
  { number: "4000000000009995", brand: "visa", behaviour: "decline_insufficient_funds" },
  { number: "4000002500003155", brand: "visa", behaviour: "require_authentication" },
  { number: "4000002760003184", brand: "visa", behaviour: "require_authentication_always" },
  { number: "4000000000000341", brand: "visa", behaviour: "charge_customer_fail" },
  { number: "4000000000000259", brand: "visa", behaviour: "dispute_fraudulent" },
  { number: "4000000000001976", brand: "visa", behaviour: "dispute_inquiry" },
];

/** `pm_card_*` / `tok_*` shortcuts accepted wherever a payment method id is. */
const TOKEN_TO_NUMBER: Readonly<Record<string, string>> = {
  pm_card_visa: "4242424242424242",
  tok_visa: "4242424242424242",
  pm_card_mastercard: "5555555555554444",
  tok_mastercard: "5555555555554444",
  pm_card_chargeDeclined: "4000000000000002",
  tok_chargeDeclined: "4000000000000002",
  pm_card_visa_chargeDeclined: "4000000000000002",
  pm_card_chargeDeclinedInsufficientFunds: "4000000000009995",
  tok_chargeDeclinedInsufficientFunds: "4000000000009995",
  // Stripe's names: "…OnSetup" is the card that authenticates unless set up; plain "authenticationRequired" always asks.
  pm_card_authenticationRequiredOnSetup: "4000002500003155",
  pm_card_authenticationRequired: "4000002760003184",
  pm_card_threeDSecure2Required: "4000002500003155",
  pm_card_chargeCustomerFail: "4000000000000341",
  tok_chargeCustomerFail: "4000000000000341",
  pm_card_createDispute: "4000000000000259",
  tok_createDispute: "4000000000000259",
  pm_card_createDisputeInquiry: "4000000000001976",
  tok_createDisputeInquiry: "4000000000001976",
};

export function cardNumberForToken(token: string): string | undefined {
  return TOKEN_TO_NUMBER[token];
}

export function normaliseCardNumber(input: string): string {
  return input.replace(/[\s-]/g, "");
}

/** Unknown numbers that pass Luhn behave like 4242 (Stripe accepts any valid test number). */
export function findTestCard(number: string): TestCard | undefined {
  const digits = normaliseCardNumber(number);
  const known = TEST_CARDS.find((card) => card.number === digits);
  if (known) return known;
  if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) return undefined;
  return { number: digits, brand: digits.startsWith("5") ? "mastercard" : digits.startsWith("3") ? "amex" : "visa", behaviour: "succeed" };
}

/** The card behaviour a stored payment method has, recovered from its last four digits. */
export function behaviourForLast4(last4: string): CardBehaviour {
  return TEST_CARDS.find((card) => card.number.endsWith(last4))?.behaviour ?? "succeed";
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = Number(digits[index]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

export const DECLINE_MESSAGES = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  authentication_required: "Your card was declined. This transaction requires authentication.",
} as const;

/**
 * SEPA Direct Debit test IBANs whose debit bounces after `processing`: Stripe's `AT…3202`, and the Italian
 * IBAN that the Stripe CLI's `checkout.session.async_payment_failed` fixture pays with. Every other IBAN settles.
 */
const FAILING_TEST_IBANS: readonly string[] = ["AT861904300235473202", "IT60X0542811101000000123456"];

export function normaliseIban(iban: string): string {
  return iban.replace(/\s/g, "").toUpperCase();
}

/** A stable fingerprint per account number, as Stripe gives one (two IBANs can share their last four digits). */
export function ibanFingerprint(iban: string): string {
  return `fp_${createHash("sha256").update(normaliseIban(iban)).digest("hex").slice(0, 16)}`;
}

const FAILING_IBAN_FINGERPRINTS = new Set(FAILING_TEST_IBANS.map(ibanFingerprint));

/** Whether a debit from the account with this fingerprint (and last four digits) eventually fails. */
export function sepaDebitFails(fingerprint: string | null, last4: string | null): boolean {
  return last4 === "3202" || (fingerprint !== null && FAILING_IBAN_FINGERPRINTS.has(fingerprint));
}
