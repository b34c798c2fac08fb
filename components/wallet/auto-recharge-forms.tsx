"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { cancelEmbeddedCardSetup, finishEmbeddedCardSetup, saveAutoRechargeCard, saveAutoRechargeSettings, turnAutoRechargeBackOn } from "@/lib/actions/auto-recharge";
import type { ActionState, FormAction } from "@/lib/accounts";
import { CheckoutNotice } from "@/components/checkout/checkout-notice";
import { useEmbeddedCheckout } from "@/components/checkout/use-embedded-checkout";
import type { StripeJsConfig } from "@/components/checkout/stripe-js";
import { Field, FormError, FormNotice, SubmitButton } from "@/components/form";

// The auto-recharge section's forms (components/wallet/auto-recharge.tsx draws the rest). Each posts a
// server action, so each works before (and without) JavaScript.

const AMOUNT_INPUT = "w-32 rounded border border-slate-500 px-3 py-2 tabular-nums aria-[invalid=true]:border-red-600";

export interface SettingsFormValues {
  enabled: boolean;
  threshold: string;
  target: string;
  monthlyCap: string;
}

/** Threshold, target and monthly cap in major units ("5.00"), and the on/off switch. */
export function AutoRechargeSettingsForm({ initial, currencySymbol, hasCard }: { initial: SettingsFormValues; currencySymbol: string; hasCard: boolean }) {
  const [state, action] = useActionState<ActionState, FormData>(saveAutoRechargeSettings, {});
  // After an error the form shows what was typed (state.values); the checkbox follows it too.
  const enabled = state.values ? state.values.enabled === "on" : initial.enabled;
  return (
    <form action={action} className="space-y-4" noValidate>
      <div className="flex items-start gap-2">
        <input
          key={String(enabled)}
          id="auto-recharge-enabled"
          name="enabled"
          type="checkbox"
          defaultChecked={enabled}
          disabled={!hasCard}
          aria-describedby="auto-recharge-enabled-hint"
          className="mt-1 h-4 w-4 rounded border-slate-500"
        />
        <div>
          <label htmlFor="auto-recharge-enabled" className="font-medium text-slate-800">
            Recharge automatically
          </label>
          <p id="auto-recharge-enabled-hint" className="text-xs text-slate-600">
            {hasCard ? "Charges your saved card when your balance runs low." : "Save a card first to turn this on."}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap gap-4">
        <Field
          label={`When below (${currencySymbol})`}
          id="auto-recharge-threshold"
          name="threshold"
          state={state}
          defaultValue={initial.threshold}
          inputMode="decimal"
          required
          hint="The threshold"
          inputClassName={AMOUNT_INPUT}
        />
        <Field
          label={`Top up to (${currencySymbol})`}
          id="auto-recharge-target"
          name="target"
          state={state}
          defaultValue={initial.target}
          inputMode="decimal"
          required
          hint="The target balance"
          inputClassName={AMOUNT_INPUT}
        />
        <Field
          label={`At most a month (${currencySymbol})`}
          id="auto-recharge-cap"
          name="monthlyCap"
          state={state}
          defaultValue={initial.monthlyCap}
          inputMode="decimal"
          required
          hint="The monthly cap"
          inputClassName={AMOUNT_INPUT}
        />
      </div>
      <SubmitButton pendingLabel="Saving…" variant="quiet">
        Save auto-recharge settings
      </SubmitButton>
      {state.message && <FormNotice>{state.message}</FormNotice>}
      <FormError state={state} />
    </form>
  );
}

/**
 * Opens Stripe's form to save (or replace) the card: in a dialog here once Stripe.js has loaded, or
 * else Stripe's page. The key made at render opens one session however often it is pressed. The
 * outcome is shown as after a return from Stripe's page (?card=), with the card read from Stripe at once.
 */
export function SaveCardButton({ requestKey, label, stripeJs = null }: { requestKey: string; label: string; stripeJs?: StripeJsConfig | null }) {
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const settle = async (settleAction: FormAction, sessionId: string) => {
    const form = new FormData();
    form.set("sessionId", sessionId);
    const result = await settleAction({}, form).catch(() => ({ error: "We couldn't reach the server. Reload the page to see your card.", code: undefined }));
    if (result.error) setProblem(result.error);
    router.replace(`/wallet?card=${result.code ?? "pending"}#auto-recharge`, { scroll: false });
  };
  const { state, formAction: action, rememberOpener, pending, embedded, checkoutUiField, dialog, notice } = useEmbeddedCheckout(saveAutoRechargeCard, {
    config: stripeJs,
    title: () => "Save a card for auto-recharge",
    onComplete: ({ sessionId }) => void settle(finishEmbeddedCardSetup, sessionId),
    onClose: ({ sessionId }) => void settle(cancelEmbeddedCardSetup, sessionId),
  });
  return (
    <form action={action} onSubmit={rememberOpener} className="space-y-2">
      <input type="hidden" name="requestKey" value={requestKey} />
      {checkoutUiField}
      <SubmitButton
        disabled={pending}
        pendingLabel={embedded ? "Opening the card form…" : "Redirecting to Stripe…"}
        className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
      >
        {label}
      </SubmitButton>
      <FormError state={state}>{state.fieldErrors?.requestKey?.[0]}</FormError>
      <CheckoutNotice message={problem ?? notice} />
      {dialog}
    </form>
  );
}

/** The banner's "turn it back on", with the settings it had. */
export function TurnBackOnButton() {
  const [state, action] = useActionState<ActionState, FormData>(turnAutoRechargeBackOn, {});
  return (
    <form action={action} className="space-y-2">
      <SubmitButton pendingLabel="Turning on…" variant="quiet">
        Turn auto-recharge back on
      </SubmitButton>
      {state.message && <FormNotice>{state.message}</FormNotice>}
      <FormError state={state} />
    </form>
  );
}
