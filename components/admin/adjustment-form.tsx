"use client";

import { useActionState } from "react";
import { controlProps, Field, FieldError, FormError, FormNotice, INPUT_CLASS, SubmitButton } from "@/components/form";
import { adjustWalletAction } from "@/lib/actions/admin-users";
import type { ActionState } from "@/lib/guards";

const INPUT = `${INPUT_CLASS} text-sm`;

/**
 * Credit or debit a user's wallet with a reason. `requestKey` is made when the page renders: a double
 * submit or a retry of this form applies once; the page re-renders with a new key after a success.
 */
export function AdjustmentForm({ userId, currencies, requestKey }: { userId: string; currencies: Array<{ code: string; symbol: string }>; requestKey: string }) {
  const [state, action] = useActionState<ActionState, FormData>(adjustWalletAction, {});
  const values = state.values ?? {};
  const reason = controlProps({ id: "adjustment-reason", name: "reason", state });
  return (
    <form action={action} className="space-y-3" aria-label="Manual adjustment">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <fieldset className="flex gap-4 text-sm">
        <legend className="sr-only">Direction</legend>
        <label className="flex items-center gap-1">
          <input type="radio" name="direction" value="credit" defaultChecked={(values.direction ?? "credit") === "credit"} /> Credit
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="direction" value="debit" defaultChecked={values.direction === "debit"} /> Debit
        </label>
      </fieldset>
      <div className="flex items-start gap-2">
        <div className="space-y-1">
          <label htmlFor="adjustment-currency" className="block text-sm font-medium text-slate-700">Currency</label>
          <select {...controlProps({ id: "adjustment-currency", name: "currency", state, defaultValue: currencies[0]?.code })} className="rounded border border-slate-500 bg-white px-2 py-2 text-sm">
            {currencies.map((currency) => <option key={currency.code} value={currency.code}>{currency.code} ({currency.symbol})</option>)}
          </select>
        </div>
        <Field label="Amount" id="adjustment-amount" name="amount" state={state} inputMode="decimal" placeholder="12.50" required inputClassName={INPUT} className="flex-1 space-y-1" />
      </div>
      <div className="space-y-1">
        <label htmlFor={reason.id} className="block text-sm font-medium text-slate-700">Reason</label>
        <textarea {...reason} defaultValue={reason.defaultValue ?? ""} required minLength={3} maxLength={500} rows={2} className={INPUT} />
        <FieldError id={reason.id} name="reason" state={state} />
      </div>
      <FormError state={state}>{state.fieldErrors?.requestKey?.[0]}</FormError>
      <FormNotice>{state.message}</FormNotice>
      <SubmitButton pendingLabel="Applying…" className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700">
        Apply adjustment
      </SubmitButton>
    </form>
  );
}
