"use client";

import { useActionState } from "react";
import { Field, FormError, FormNotice, INPUT_CLASS, SubmitButton } from "@/components/form";
import { refundTopUpAction } from "@/lib/actions/admin-users";
import type { ActionState } from "@/lib/accounts";

const INPUT = `${INPUT_CLASS} px-2 py-1.5 text-sm`;
const LABEL = "block text-xs text-slate-700";

/**
 * Refund (part of) a paid top-up through Stripe. The amount starts at the most the form accepts as it
 * stands: what is left to refund, or the unspent credit when that is less (empty when all is spent).
 * The request key is Stripe's idempotency key, so a double click or a retry of this form refunds once.
 */
export function RefundForm({
  purchaseId,
  refundableAmount,
  refundableLabel,
  unspentLabel,
  currencySymbol,
  requestKey,
}: {
  purchaseId: string;
  /** Where the amount starts ("4.00"): what is left to refund, or the unspent credit when that is less; "" when none is unspent. */
  refundableAmount: string;
  /** What is left to refund on this top-up ("£6.00"). */
  refundableLabel: string;
  /** The top-up's credit still unspent ("£3.00"): more than that needs the box ticked. */
  unspentLabel: string;
  currencySymbol: string;
  requestKey: string;
}) {
  const [state, action] = useActionState<ActionState, FormData>(refundTopUpAction, {});
  // Several refund forms share the page, so each field's id names its purchase.
  const ids = { amount: `refund-${purchaseId}-amount`, reason: `refund-${purchaseId}-reason`, beyond: `refund-${purchaseId}-beyond` };
  return (
    <form action={action} className="space-y-2" aria-label={`Refund ${purchaseId}`}>
      <input type="hidden" name="purchaseId" value={purchaseId} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <div className="flex flex-wrap items-start gap-2">
        <Field
          label={`Amount (${currencySymbol})`}
          id={ids.amount}
          name="amount"
          state={state}
          defaultValue={refundableAmount}
          inputMode="decimal"
          required
          className="w-28 space-y-1"
          labelClassName={LABEL}
          inputClassName={INPUT}
        />
        <Field label="Reason" id={ids.reason} name="reason" state={state} required minLength={3} maxLength={500} className="min-w-48 flex-1 space-y-1" labelClassName={LABEL} inputClassName={INPUT} />
        <SubmitButton pendingLabel="Refunding…" className="mt-5 rounded border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50">
          Refund
        </SubmitButton>
      </div>
      <p className="text-xs text-slate-600">
        {refundableLabel} left to refund; {unspentLabel} of this top-up’s credit is unspent.
      </p>
      <label htmlFor={ids.beyond} className="flex items-center gap-2 text-xs text-slate-700">
        <input type="checkbox" id={ids.beyond} name="beyondUnspent" defaultChecked={state.values?.beyondUnspent === "on"} />
        Refund more than is unspent: the balance goes negative
      </label>
      <FormError state={state}>{state.fieldErrors?.requestKey?.[0]}</FormError>
      <FormNotice>{state.message}</FormNotice>
    </form>
  );
}
