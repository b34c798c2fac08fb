"use client";

import { useActionState } from "react";
import { buyCredits } from "@/lib/actions/wallet";
import type { ActionState } from "@/lib/accounts";
import { Field, FormError, SubmitButton } from "@/components/form";

export interface PackView {
  key: string;
  name: string;
  price: string;
}

// Each pack and the custom amount is its own form on one action state: while any of them is taking
// the person to Stripe, every button is disabled (the clicked one says so), so one click starts one
// Checkout. The custom amount keeps what was typed after an error, with the error under the field.
export function BuyCredits({ packs, minLabel, maxLabel, currencySymbol }: { packs: PackView[]; minLabel: string; maxLabel: string; currencySymbol: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(buyCredits, {});
  return (
    <section aria-labelledby="buy-heading" className="space-y-4">
      <h2 id="buy-heading" className="text-xl font-semibold">Add credit</h2>
      <ul className="grid gap-4 sm:grid-cols-3">
        {packs.map((pack) => (
          <li key={pack.key} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <form action={action} className="flex h-full flex-col gap-3">
              <input type="hidden" name="packKey" value={pack.key} />
              <p className="font-semibold">{pack.name}</p>
              <p className="text-2xl font-bold tabular-nums">{pack.price}</p>
              <SubmitButton
                disabled={pending}
                label={`Buy ${pack.name} pack for ${pack.price}`}
                pendingLabel="Redirecting to Stripe…"
                className="mt-auto rounded bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700"
              >
                {`Buy ${pack.name}`}
              </SubmitButton>
            </form>
          </li>
        ))}
      </ul>
      <form action={action} className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" noValidate>
        <Field
          label={`Custom amount (${currencySymbol})`}
          id="custom-amount"
          name="amount"
          state={state}
          inputMode="decimal"
          placeholder="25.00"
          required
          hint={`Between ${minLabel} and ${maxLabel}`}
          inputClassName="w-40 rounded border border-slate-500 px-3 py-2 tabular-nums aria-[invalid=true]:border-red-600"
        />
        <SubmitButton disabled={pending} pendingLabel="Redirecting to Stripe…" className="mt-6 rounded border border-indigo-600 bg-white px-4 py-2 font-medium text-indigo-700 hover:bg-indigo-50">
          Top up
        </SubmitButton>
      </form>
      <FormError state={state} />
    </section>
  );
}
