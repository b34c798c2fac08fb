"use client";

import { useActionState } from "react";
import { Field, FormError, FormNotice, SubmitButton } from "@/components/form";
import { ADMIN_INPUT as INPUT, CurrencySelect, ReasonField, type AdminCurrency } from "./admin-form-fields";
import { issuePromotionalGrantAction } from "@/lib/actions/admin-grants";
import type { ActionState } from "@/lib/accounts";

/**
 * Give a user promotional credit: an amount, an optional expiry (the end of that day, UTC), an optional
 * priority and a reason. `requestKey` is made when the page renders, so a double submit grants once.
 */
export function GrantForm({ userId, currencies, requestKey }: { userId: string; currencies: AdminCurrency[]; requestKey: string }) {
  const [state, action] = useActionState<ActionState, FormData>(issuePromotionalGrantAction, {});
  return (
    <form action={action} className="space-y-3" aria-label="Issue promotional credit">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <div className="flex flex-wrap items-start gap-2">
        <CurrencySelect id="grant-currency" state={state} currencies={currencies} />
        <Field label="Amount" id="grant-amount" name="amount" state={state} inputMode="decimal" placeholder="10.00" required inputClassName={INPUT} className="w-32 space-y-1" />
        <Field label="Expires on (optional)" id="grant-expires-on" name="expiresOn" type="date" state={state} hint="At the end of that day, UTC." inputClassName={INPUT} className="w-44 space-y-1" />
        <Field label="Priority (optional)" id="grant-priority" name="priority" state={state} inputMode="numeric" placeholder="10" hint="0–100, lower is spent first." inputClassName={INPUT} className="w-36 space-y-1" />
      </div>
      <ReasonField id="grant-reason" state={state} />
      <FormError state={state}>{state.fieldErrors?.requestKey?.[0]}</FormError>
      <FormNotice>{state.message}</FormNotice>
      <SubmitButton pendingLabel="Granting…" className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700">
        Issue promotional credit
      </SubmitButton>
    </form>
  );
}
