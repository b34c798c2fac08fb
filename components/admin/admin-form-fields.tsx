"use client";

import { controlProps, FieldError, INPUT_CLASS } from "@/components/form";
import type { ActionState } from "@/lib/accounts";

// Fields the admin's money forms (adjustment, promotional credit) share, drawn once.

export const ADMIN_INPUT = `${INPUT_CLASS} text-sm`;

export interface AdminCurrency {
  code: string;
  symbol: string;
}

/** The wallet currency the money goes to: the user's wallets' and the app's, first one chosen. */
export function CurrencySelect({ id, state, currencies }: { id: string; state: ActionState; currencies: AdminCurrency[] }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">Currency</label>
      <select {...controlProps({ id, name: "currency", state, defaultValue: currencies[0]?.code })} className="rounded border border-slate-500 bg-white px-2 py-2 text-sm">
        {currencies.map((currency) => <option key={currency.code} value={currency.code}>{currency.code} ({currency.symbol})</option>)}
      </select>
    </div>
  );
}

/** The required reason every admin action records in the audit log (3 to 500 characters). */
export function ReasonField({ id, state }: { id: string; state: ActionState }) {
  const reason = controlProps({ id, name: "reason", state });
  return (
    <div className="space-y-1">
      <label htmlFor={reason.id} className="block text-sm font-medium text-slate-700">Reason</label>
      <textarea {...reason} defaultValue={reason.defaultValue ?? ""} required minLength={3} maxLength={500} rows={2} className={ADMIN_INPUT} />
      <FieldError id={reason.id} name="reason" state={state} />
    </div>
  );
}
