"use client";

import { useActionState } from "react";
import { Field, FormError, FormNotice, SubmitButton } from "@/components/form";
import { saveSpendingControls } from "@/lib/actions/wallet-limits";
import type { ActionState } from "@/lib/accounts";

export interface LimitsFormProps {
  /** The saved values as they are typed ("15.00"), or "" when off. */
  spendLimit: string;
  lowBalanceThreshold: string;
  currencySymbol: string;
  /** What the plan allows, in words, for the limit's hint ("Your Free plan allows £100.00 a month"). */
  planLimitSentence: string;
}

// The form half of "Spending controls" (./spending-controls.tsx draws the usage above it): the
// user's own monthly spend limit and the low-balance alert threshold, empty meaning off.
export function LimitsForm({ spendLimit, lowBalanceThreshold, currencySymbol, planLimitSentence }: LimitsFormProps) {
  const [state, action] = useActionState<ActionState, FormData>(saveSpendingControls, {});
  const inputClassName = "w-40 rounded border border-slate-500 px-3 py-2 tabular-nums aria-[invalid=true]:border-red-600";
  return (
    <form action={action} className="space-y-4" noValidate>
      <div className="flex flex-wrap gap-6">
        <Field
          label={`Monthly spend limit (${currencySymbol})`}
          id="spend-limit"
          name="spendLimit"
          state={state}
          defaultValue={spendLimit}
          inputMode="decimal"
          placeholder="No limit"
          inputClassName={inputClassName}
          hint={`Leave empty for no limit of your own. ${planLimitSentence}; the lower limit applies.`}
          className="max-w-xs space-y-1"
        />
        <Field
          label={`Low-balance alert below (${currencySymbol})`}
          id="low-balance-threshold"
          name="lowBalanceThreshold"
          state={state}
          defaultValue={lowBalanceThreshold}
          inputMode="decimal"
          placeholder="No alert"
          inputClassName={inputClassName}
          hint="We show a banner here each time your available balance falls below this, and email you about it at most once a day (to a verified address). Leave empty for no alert."
          className="max-w-xs space-y-1"
        />
      </div>
      <SubmitButton pendingLabel="Saving…" variant="quiet">
        Save spending controls
      </SubmitButton>
      <FormNotice>{state.message}</FormNotice>
      <FormError state={state} />
    </form>
  );
}
