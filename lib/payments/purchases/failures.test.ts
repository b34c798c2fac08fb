import { describe, expect, it } from "vitest";
import { FAILURE_SENTENCES, failureReason, paymentFailureMessage } from "./failures";

describe("paymentFailureMessage", () => {
  it.each([
    // What the emulator (and Stripe) put in last_payment_error for each test card and flow.
    ["4000 0000 0000 0002 (generic decline)", { code: "card_declined", decline_code: "generic_decline" }, "card_declined"],
    ["4000 0000 0000 9995 (insufficient funds)", { code: "card_declined", decline_code: "insufficient_funds" }, "insufficient_funds"],
    ["an expired card", { code: "expired_card" }, "expired_card"],
    ["a wrong CVC", { code: "incorrect_cvc", decline_code: "incorrect_cvc" }, "incorrect_cvc"],
    ["a wrong number", { code: "incorrect_number" }, "incorrect_number"],
    ["a failed 3-D Secure challenge", { code: "payment_intent_authentication_failure" }, "authentication_failed"],
    ["an off-session charge that needed authentication", { code: "authentication_required", decline_code: "authentication_required" }, "authentication_not_completed"],
    ["a processing error", { code: "processing_error" }, "processing_error"],
    ["a bank debit that bounced", { code: "payment_intent_payment_attempt_failed" }, "bank_payment_failed"],
    ["a decline code we do not list", { code: "card_declined", decline_code: "do_not_honor" }, "card_declined"],
    ["a stolen card (never said as such)", { code: "card_declined", decline_code: "stolen_card" }, "card_declined"],
    ["an unknown code", { code: "something_new" }, "unknown"],
  ] as const)("%s", (_name, error, reason) => {
    expect(failureReason(error)).toBe(reason);
    expect(paymentFailureMessage(error)).toBe(FAILURE_SENTENCES[reason]);
  });

  it("has a sentence when Stripe gives no error at all", () => {
    expect(paymentFailureMessage(null)).toBe("The payment didn't go through.");
    expect(paymentFailureMessage(undefined)).toBe("The payment didn't go through.");
  });

  it("never passes Stripe's developer wording through, nor starts with 'Payment failed'", () => {
    for (const sentence of Object.values(FAILURE_SENTENCES)) {
      expect(sentence).not.toMatch(/^payment failed/i);
      expect(sentence).not.toMatch(/PaymentMethod|PaymentIntent|The payment failed\./);
      expect(sentence).toMatch(/\.$/);
    }
  });
});
