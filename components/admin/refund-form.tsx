"use client";

import { useActionState } from "react";
import { FormError, FormNotice } from "@/components/form";
import { refundTopUpAction } from "@/lib/actions/admin-users";
import type { ActionState } from "@/lib/guards";

const INPUT = "block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

/**
 * Refund (part of) a paid top-up through Stripe. The amount starts at what is left to refund. The
 * request key is Stripe's idempotency key, so a double click or a retry of this form refunds once.
 */
export function RefundForm({ purchaseId, refundableAmount, currencySymbol, requestKey }: { purchaseId: string; refundableAmount: string; currencySymbol: string; requestKey: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(refundTopUpAction, {});
  const values = state.values ?? {};
  return (
    <form action={action} className="space-y-2" aria-label={`Refund ${purchaseId}`}>
      <input type="hidden" name="purchaseId" value={purchaseId} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <div className="flex flex-wrap items-start gap-2">
        <label className="w-28 space-y-1 text-xs text-slate-600">
          <span>Amount ({currencySymbol})</span>
          <input name="amount" inputMode="decimal" required defaultValue={values.amount ?? refundableAmount} className={INPUT} aria-invalid={Boolean(state.fieldErrors?.amount)} />
        </label>
        <label className="min-w-48 flex-1 space-y-1 text-xs text-slate-600">
          <span>Reason</span>
          <input name="reason" required minLength={3} maxLength={500} defaultValue={values.reason ?? ""} className={INPUT} aria-invalid={Boolean(state.fieldErrors?.reason)} />
        </label>
        <button type="submit" disabled={pending} aria-busy={pending} className="mt-5 rounded border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:cursor-wait disabled:opacity-60">
          {pending ? "Refunding…" : "Refund"}
        </button>
      </div>
      {(state.fieldErrors?.amount ?? state.fieldErrors?.reason) && (
        <p className="text-xs text-red-700">{state.fieldErrors?.amount?.[0] ?? state.fieldErrors?.reason?.[0]}</p>
      )}
      <FormError>{state.error}</FormError>
      <FormNotice>{state.message}</FormNotice>
    </form>
  );
}
