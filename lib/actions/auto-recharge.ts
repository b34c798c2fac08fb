"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { env } from "@/lib/core/env";
import { formRequestKey } from "@/lib/core/forms";
import { userAction, type ActionState } from "@/lib/accounts";
import { formatMoney, minorUnitDigits } from "@/lib/core/money";
import { cancelCardSetup, completeCardSetup, getAutoRecharge, startCardSetup, updateAutoRecharge, type AutoRechargeSettings } from "@/lib/payments/recharges";
import { AUTO_RECHARGE_FORM_FIELDS } from "@/lib/validations/auto-recharge";
import { checkoutPageFor } from "@/lib/core/checkout-ui";
import { checkoutUiField } from "@/lib/validations/checkout";
import { amountFormatHint, parseMajorAmount } from "@/lib/validations/wallet";

// The wallet's auto-recharge forms: the settings, "turn it back on" from the banner, and "save a card"
// (a setup-mode Checkout). Each is a plain form posting a server action, so it works without JavaScript.

const settingsForm = z.object({
  enabled: z.literal("on").optional(),
  threshold: z.string().trim().min(1, "Enter an amount.").max(20),
  target: z.string().trim().min(1, "Enter an amount.").max(20),
  monthlyCap: z.string().trim().min(1, "Enter an amount.").max(20),
});

type FormField = (typeof AUTO_RECHARGE_FORM_FIELDS)[keyof typeof AUTO_RECHARGE_FORM_FIELDS];

function summary(settings: AutoRechargeSettings): string {
  const money = (amountMinor: number) => formatMoney(amountMinor, settings.currency);
  if (!settings.enabled) return "Auto-recharge is off.";
  return `Auto-recharge is on: below ${money(settings.thresholdMinor)}, we top your balance up to ${money(settings.targetMinor)}, at most ${money(settings.monthlyCapMinor)} a month.`;
}

// Save the threshold, target and monthly cap (typed in major units), and whether it is on.
export const saveAutoRechargeSettings = userAction(
  settingsForm,
  async (fields, user) => {
    const values = { threshold: fields.threshold, target: fields.target, monthlyCap: fields.monthlyCap, ...(fields.enabled ? { enabled: fields.enabled } : {}) };
    const currency = env().BILLFOLD_CURRENCY;
    const digits = minorUnitDigits(currency);
    const fieldErrors: Partial<Record<FormField, string[]>> = {};
    const amounts: Partial<Record<FormField, number>> = {};
    for (const field of Object.values(AUTO_RECHARGE_FORM_FIELDS)) {
      const amountMinor = parseMajorAmount(fields[field], digits, currency);
      if (amountMinor === null) fieldErrors[field] = [amountFormatHint(digits)];
      else amounts[field] = amountMinor;
    }
    if (amounts.threshold === undefined || amounts.target === undefined || amounts.monthlyCap === undefined) {
      return { error: "Please fix the highlighted fields.", code: "validation_error", fieldErrors, values };
    }
    const input = { enabled: fields.enabled === "on", thresholdMinor: amounts.threshold, targetMinor: amounts.target, monthlyCapMinor: amounts.monthlyCap };
    try {
      const saved = await updateAutoRecharge(user.id, input);
      revalidatePath("/wallet");
      return { message: summary(saved), values };
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      // The rules' messages (lib/validations/auto-recharge.ts), each under the field it is about.
      for (const issue of error.issues) {
        const field = Object.entries(AUTO_RECHARGE_FORM_FIELDS).find(([name]) => name === issue.path[0])?.[1];
        if (field) fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
      }
      return { error: "Please fix the highlighted fields.", code: "validation_error", fieldErrors, values };
    }
  },
  { returnTo: "/wallet", failureMessage: "We couldn't save your auto-recharge settings. Nothing was changed; please try again." },
);

// Turn it back on with the settings it had, after Billfold switched it off (the banner's button).
export const turnAutoRechargeBackOn = userAction(
  z.object({}),
  async (_fields, user): Promise<ActionState> => {
    const current = await getAutoRecharge(user.id);
    const saved = await updateAutoRecharge(user.id, { ...current, enabled: true });
    revalidatePath("/wallet");
    return { message: summary(saved) };
  },
  { returnTo: "/wallet", failureMessage: "We couldn't turn auto-recharge back on. Nothing was changed; please try again." },
);

// Open Stripe's setup Checkout to save a card: embedded in the wallet page when the page asked for it
// (its client secret back to the page), or else a redirect to the hosted page.
export const saveAutoRechargeCard = userAction(
  z.object({ requestKey: formRequestKey, checkoutUi: checkoutUiField }),
  async (fields, user) => {
    const setup = await startCardSetup(user.id, { requestKey: fields.requestKey, ui: checkoutPageFor(fields.checkoutUi) });
    if (setup.clientSecret) return { checkout: { sessionId: setup.sessionId, clientSecret: setup.clientSecret, reference: setup.sessionId } };
    if (!setup.url) throw new Error(`card setup session ${setup.sessionId} has no Checkout page`);
    redirect(setup.url);
  },
  { returnTo: "/wallet", failureMessage: "We couldn't open Stripe to save your card. Nothing was saved; please try again." },
);

// The embedded card form finished (Stripe's onComplete): the card is read from Stripe and stored now,
// as the hosted page's return route does, so the wallet shows it without waiting for the webhook.
export const finishEmbeddedCardSetup = userAction(
  z.object({ sessionId: z.string().min(1).max(255) }),
  async ({ sessionId }, user) => {
    const result = await completeCardSetup(sessionId, { userId: user.id });
    revalidatePath("/wallet");
    // The code is the wallet's ?card= outcome (cardSetupReturnPath), which the page then shows.
    return { code: result.outcome === "saved" ? "saved" : "pending" };
  },
  { returnTo: "/wallet", failureMessage: "We couldn't confirm your card with Stripe just now. It shows here once Stripe confirms it." },
);

// The embedded card form was closed before a card was saved: Stripe expires its session.
export const cancelEmbeddedCardSetup = userAction(
  z.object({ sessionId: z.string().min(1).max(255) }),
  async ({ sessionId }, user) => {
    const result = await cancelCardSetup(user.id, sessionId);
    revalidatePath("/wallet");
    return { code: result.outcome === "saved" ? "saved" : "canceled" };
  },
  { returnTo: "/wallet", failureMessage: "We couldn't reach Stripe to close the card form. No card was saved." },
);
