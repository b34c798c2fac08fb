"use client";

import { useActionState } from "react";
import { spendDemoCredits } from "@/lib/actions/wallet";
import type { ActionState } from "@/lib/guards";
import { FormError } from "@/components/form";

export function SpendDemo({ idempotencyKey, amountLabel }: { idempotencyKey: string; amountLabel: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(spendDemoCredits, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <button type="submit" disabled={pending} className="rounded border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60">
        {pending ? "Spending…" : `Spend ${amountLabel} (demo)`}
      </button>
      {state.message && <p role="status" className="text-sm text-emerald-700">{state.message}</p>}
      <FormError>{state.error}</FormError>
    </form>
  );
}
