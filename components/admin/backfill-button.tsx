"use client";

import { useActionState } from "react";
import { backfillEventsAction } from "@/lib/actions/admin-reconcile";
import type { ActionState } from "@/lib/guards";

/** Backfills the range the page shows; the result stays on screen while the page compares again. */
export function BackfillButton({ from, to }: { from: string; to: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(backfillEventsAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="to" value={to} />
      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:cursor-wait disabled:opacity-60"
      >
        {pending ? "Backfilling…" : "Backfill missed events"}
      </button>
      {state.message && <p role="status" className="text-sm text-emerald-800">{state.message}</p>}
      {state.error && <p role="alert" className="text-sm text-red-700">{state.error}</p>}
    </form>
  );
}
