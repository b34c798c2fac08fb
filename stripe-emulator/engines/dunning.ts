// Failed-payment retries ("dunning") for subscription invoices, on the account's custom retry schedule:
// after an automatic attempt fails, the next one is due `retryDays[n]` days after the previous attempt;
// when none is left the attempt was the final one and the billing settings say what happens next.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam } from "../http/errors";
import type { FormObject } from "../http/form";
import type { InvoicePaymentRun } from "./invoice";
import { optionalEnum, optionalString } from "../http/params";
import type { BillingSettings } from "../store";

const DAY_SECONDS = 24 * 3600;

/** What follows a failed automatic attempt: another one later, nothing more (final), or no retries at all. */
export type AttemptFollowUp = "retry" | "final" | "not_retried";

/**
 * Set `next_payment_attempt` after a failed automatic attempt at `at`. The first invoice of a subscription is
 * never retried (the subscription stays `incomplete`), and, as Stripe documents, neither is an invoice when the
 * customer has no payment method at all.
 */
export function scheduleNextAttempt(emulator: Emulator, invoice: Stripe.Invoice, run: InvoicePaymentRun, at: number): AttemptFollowUp {
  const retried = invoice.parent?.subscription_details?.subscription && invoice.billing_reason !== "subscription_create";
  if (!retried || run.error?.body.code === "invoice_no_customer_payment_method") {
    invoice.next_payment_attempt = null;
    return "not_retried";
  }
  const retryDays = emulator.state.billingSettings.retryDays;
  const retriesDone = invoice.attempt_count - 1;
  const days = retryDays[retriesDone];
  if (days === undefined) {
    invoice.next_payment_attempt = null;
    return "final";
  }
  invoice.next_payment_attempt = at + days * DAY_SECONDS;
  return "retry";
}

/** `retry_days=3,5,7`, `subscription_after_final_failure=cancel|unpaid|past_due`, `invoice_after_final_failure=leave_open|mark_uncollectible`. */
export function updateBillingSettings(emulator: Emulator, params: FormObject): BillingSettings {
  const settings = emulator.state.billingSettings;
  const retryDays = optionalString(params, "retry_days");
  if (retryDays !== undefined) {
    const days = retryDays === "" ? [] : retryDays.split(",").map((day) => Number(day.trim()));
    if (days.some((day) => !Number.isInteger(day) || day < 1 || day > 60)) {
      throw invalidParam("retry_days", "retry_days must be a comma-separated list of whole days between 1 and 60 (or empty for no retries).");
    }
    settings.retryDays = days;
  }
  settings.subscriptionAfterFinalFailure =
    optionalEnum(params, "subscription_after_final_failure", ["cancel", "unpaid", "past_due"]) ?? settings.subscriptionAfterFinalFailure;
  settings.invoiceAfterFinalFailure =
    optionalEnum(params, "invoice_after_final_failure", ["leave_open", "mark_uncollectible"]) ?? settings.invoiceAfterFinalFailure;
  return settings;
}
