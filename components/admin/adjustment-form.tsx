"use client";

import { useActionState } from "react";
import { FormError, FormNotice } from "@/components/form";
import { adjustWalletAction } from "@/lib/actions/admin-users";
import type { ActionState } from "@/lib/guards";

const INPUT = "block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

/**
 * Credit or debit a user's wallet with a reason. `requestKey` is made when the page renders: a double
 * submit or a retry of this form applies once; the page re-renders with a new key after a success.
 */
export function AdjustmentForm({ userId, currencies, requestKey }: { userId: string; currencies: Array<{ code: string; symbol: string }>; requestKey: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(adjustWalletAction, {});
  const values = state.values ?? {};
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
      <div className="space-y-1">
        <label htmlFor="adjustment-amount" className="block text-sm font-medium text-slate-700">Amount</label>
        <div className="flex gap-2">
          <select name="currency" aria-label="Currency" defaultValue={values.currency ?? currencies[0]?.code} className="rounded border border-slate-300 bg-white px-2 text-sm">
            {currencies.map((currency) => <option key={currency.code} value={currency.code}>{currency.code} ({currency.symbol})</option>)}
          </select>
          <input id="adjustment-amount" name="amount" inputMode="decimal" placeholder="12.50" required defaultValue={values.amount ?? ""} className={INPUT} aria-invalid={Boolean(state.fieldErrors?.amount)} />
        </div>
        {state.fieldErrors?.amount && <p className="text-sm text-red-700">{state.fieldErrors.amount[0]}</p>}
      </div>
      <div className="space-y-1">
        <label htmlFor="adjustment-reason" className="block text-sm font-medium text-slate-700">Reason</label>
        <textarea id="adjustment-reason" name="reason" required minLength={3} maxLength={500} rows={2} defaultValue={values.reason ?? ""} className={INPUT} aria-invalid={Boolean(state.fieldErrors?.reason)} />
        {state.fieldErrors?.reason && <p className="text-sm text-red-700">{state.fieldErrors.reason[0]}</p>}
      </div>
      <FormError>{state.error}</FormError>
      <FormNotice>{state.message}</FormNotice>
      <button type="submit" disabled={pending} aria-busy={pending} className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:cursor-wait disabled:opacity-60">
        {pending ? "Applying…" : "Apply adjustment"}
      </button>
    </form>
  );
}
