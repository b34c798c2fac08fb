"use client";

import { useActionState } from "react";
import { Field, FormError, FormNotice, SubmitButton } from "@/components/form";
import { ADMIN_INPUT as INPUT, CurrencySelect, ReasonField, type AdminCurrency } from "./admin-form-fields";
import { adjustWalletAction } from "@/lib/actions/admin-users";
import type { ActionState } from "@/lib/accounts";

/**
 * Credit or debit a user's wallet with a reason. `requestKey` is made when the page renders: a double
 * submit or a retry of this form applies once; the page re-renders with a new key after a success.
 */
export function AdjustmentForm({ userId, currencies, requestKey }: { userId: string; currencies: AdminCurrency[]; requestKey: string }) {
  const [state, action] = useActionState<ActionState, FormData>(adjustWalletAction, {});
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
      <div className="flex items-start gap-2">
        <CurrencySelect id="adjustment-currency" state={state} currencies={currencies} />
        <Field label="Amount" id="adjustment-amount" name="amount" state={state} inputMode="decimal" placeholder="12.50" required inputClassName={INPUT} className="flex-1 space-y-1" />
      </div>
      <ReasonField id="adjustment-reason" state={state} />
      <FormError state={state}>{state.fieldErrors?.requestKey?.[0]}</FormError>
      <FormNotice>{state.message}</FormNotice>
      <SubmitButton pendingLabel="Applying…" className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700">
        Apply adjustment
      </SubmitButton>
    </form>
  );
}
