"use client";

import { useActionState } from "react";
import { buyCredits } from "@/lib/actions/wallet";
import type { ActionState } from "@/lib/guards";
import { FormError } from "@/components/form";

export interface PackView {
  key: string;
  name: string;
  price: string;
}

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
              <button
                type="submit"
                disabled={pending}
                aria-label={`Buy ${pack.name} pack for ${pack.price}`}
                className="mt-auto rounded bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:cursor-wait disabled:opacity-60"
              >
                {pending ? "Redirecting to Stripe…" : `Buy ${pack.name}`}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form action={action} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <div className="space-y-1">
          <label htmlFor="custom-amount" className="block text-sm font-medium text-slate-700">Custom amount ({currencySymbol})</label>
          <input
            id="custom-amount"
            name="amount"
            inputMode="decimal"
            placeholder="25.00"
            aria-describedby="custom-amount-hint"
            className="w-40 rounded border border-slate-300 px-3 py-2 tabular-nums"
            required
          />
          <p id="custom-amount-hint" className="text-xs text-slate-500">Between {minLabel} and {maxLabel}</p>
        </div>
        <button type="submit" disabled={pending} className="rounded border border-indigo-600 px-4 py-2 font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-60">
          {pending ? "Redirecting to Stripe…" : "Top up"}
        </button>
      </form>
      <FormError>{state.error}</FormError>
    </section>
  );
}
