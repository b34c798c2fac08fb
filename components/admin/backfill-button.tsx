"use client";

import { useActionState } from "react";
import { backfillEventsAction } from "@/lib/actions/admin-reconcile";
import type { ActionState } from "@/lib/accounts";
import { SubmitButton } from "@/components/form";

/** Backfills the range the page shows; the result stays on screen while the page compares again. */
export function BackfillButton({ from, to }: { from: string; to: string }) {
  const [state, action] = useActionState<ActionState, FormData>(backfillEventsAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="to" value={to} />
      <SubmitButton pendingLabel="Backfilling…" className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
        Backfill missed events
      </SubmitButton>
      {state.message && <p role="status" className="text-sm text-emerald-800">{state.message}</p>}
      {state.error && <p role="alert" className="text-sm text-red-700">{state.error}</p>}
    </form>
  );
}
