"use client";

import { useActionState } from "react";
import { spendDemoCredits } from "@/lib/actions/wallet";
import type { ActionState } from "@/lib/accounts";
import { FormError, SubmitButton } from "@/components/form";

export function SpendDemo({ idempotencyKey, amountLabel }: { idempotencyKey: string; amountLabel: string }) {
  const [state, action] = useActionState<ActionState, FormData>(spendDemoCredits, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <SubmitButton pendingLabel="Spending…" variant="quiet">{`Spend ${amountLabel} (demo)`}</SubmitButton>
      {state.message && <p role="status" className="text-sm text-emerald-800">{state.message}</p>}
      <FormError state={state}>{state.fieldErrors?.idempotencyKey?.[0]}</FormError>
    </form>
  );
}
