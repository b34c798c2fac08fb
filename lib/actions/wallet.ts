"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { env } from "@/lib/core/env";
import { formRequestKey } from "@/lib/core/forms";
import { ValidationError } from "@/lib/core/errors";
import { userAction, type ActionState } from "@/lib/accounts";
import { formatMoney, minorUnitDigits } from "@/lib/core/money";
import { describePurchase } from "@/lib/payments/purchases";
import { cancelTopUp, resumeEmbeddedTopUp, startTopUp, type StartedTopUp, type TopUpRequest } from "@/lib/payments/topups";
import { checkoutPageFor } from "@/lib/core/checkout-ui";
import { checkoutUiField } from "@/lib/validations/checkout";
import { DEMO_SPEND_MINOR } from "@/lib/usage";
import { demoSpendEnabled, spendCredits } from "@/lib/usage";
import { amountFormatHint, parseMajorAmount } from "@/lib/validations/wallet";

const topUpForm = z.object({
  packKey: z.string().min(1).max(50).optional(),
  amount: z.string().max(20).optional(),
  checkoutUi: checkoutUiField,
});

/** A custom amount's problem, shown under its field (and announced there), with what was typed kept. */
function amountError(message: string, amount = ""): ActionState {
  return { error: message, code: "validation_error", fieldErrors: { amount: [message] }, values: { amount } };
}

// Start Stripe Checkout for a pack or a custom amount: the embedded form's client secret back to the
// page that asked for it (components/checkout), or else a redirect to the hosted page.
export const buyCredits = userAction(
  topUpForm,
  async (fields, user) => {
    let request: TopUpRequest;
    if (fields.packKey) request = { packKey: fields.packKey };
    else {
      const currency = env().BILLFOLD_CURRENCY;
      const amountMinor = parseMajorAmount(fields.amount ?? "", minorUnitDigits(currency), currency);
      if (amountMinor === null) return amountError(amountFormatHint(minorUnitDigits(currency)), fields.amount);
      request = { amountMinor };
    }
    let started: StartedTopUp;
    try {
      started = await startTopUp(user.id, request, { ui: checkoutPageFor(fields.checkoutUi) });
    } catch (error) {
      // Outside the limits: said under the amount field, which keeps what was typed.
      if (!fields.packKey && error instanceof ValidationError) return amountError(error.message, fields.amount);
      throw error;
    }
    if (started.clientSecret) {
      revalidatePath("/wallet");
      return { checkout: { sessionId: started.checkoutSessionId, clientSecret: started.clientSecret, reference: started.purchaseId } };
    }
    if (!started.url) throw new Error(`top-up ${started.purchaseId} has neither a Checkout page nor a client secret`);
    redirect(started.url);
  },
  { returnTo: "/wallet", failureMessage: "We couldn't start the payment. Nothing was charged; please try again." },
);

// Spend a little credit so people can watch a debit land. The form's key makes a double submit spend once.
// Only with the demo data: where the button is hidden the action refuses too, so a form posted by hand
// (or from a page rendered before the setting changed) spends nothing.
export const spendDemoCredits = userAction(
  z.object({ idempotencyKey: formRequestKey }),
  async ({ idempotencyKey }, user) => {
    if (!demoSpendEnabled()) return { error: "The demo spend button is only available with the demo data (npm run dev).", code: "demo_spend_disabled" };
    const spent = await spendCredits(user.id, { amountMinor: DEMO_SPEND_MINOR, description: "Demo usage", idempotencyKey });
    revalidatePath("/wallet");
    return { message: `Spent ${formatMoney(DEMO_SPEND_MINOR, spent.currency)} of credit.` };
  },
  { returnTo: "/wallet", failureMessage: "We couldn't spend credits just now. Nothing was debited." },
);

// Cancel one of the user's own open purchases: Stripe expires its Checkout Session, then it shows as
// canceled. Posted from the purchase list's Cancel button and, on the way back from Checkout's cancel
// link, by the banner. Repeating it is harmless: a canceled purchase stays canceled.
export const cancelPurchase = userAction(
  z.object({ purchaseId: z.string().min(1).max(64) }),
  async ({ purchaseId }, user) => {
    const { outcome, purchase } = await cancelTopUp(user.id, purchaseId);
    revalidatePath("/wallet");
    switch (outcome) {
      case "canceled":
        return { message: "Checkout canceled. Nothing was charged." };
      case "completed":
        return { error: "This checkout was already completed at Stripe, so it can't be canceled. The payment shows here as soon as Stripe confirms it.", code: "checkout_completed" };
      case "busy":
        return { error: "Stripe is still processing a payment on this checkout, so it can't be canceled right now. Try again in a minute.", code: "checkout_busy" };
      case "closed":
        return { error: `There is nothing left to cancel: ${describePurchase(purchase).sentence}`, code: "purchase_closed" };
    }
  },
  { returnTo: "/wallet", failureMessage: "We couldn't reach Stripe to cancel this checkout. Nothing has changed; please try again." },
);

// Open an embedded top-up again (its "Resume payment" link leads to the wallet with ?checkout=resume):
// the session's client secret, answered to the purchase's owner only.
export const resumeTopUpCheckout = userAction(
  z.object({ purchaseId: z.string().min(1).max(64) }),
  async ({ purchaseId }, user): Promise<ActionState> => {
    const resumed = await resumeEmbeddedTopUp(user.id, purchaseId);
    if (!resumed) return { error: "This checkout can't be resumed any more. Nothing was charged; start a new top-up below.", code: "not_resumable" };
    return { checkout: { ...resumed, reference: purchaseId } };
  },
  { returnTo: "/wallet", failureMessage: "We couldn't reach Stripe to resume this checkout. Nothing was charged; please try again." },
);
