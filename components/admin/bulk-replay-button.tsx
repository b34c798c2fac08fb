"use client";

import { useActionState } from "react";
import { replayFailedWebhookEventsAction } from "@/lib/actions/admin";
import type { ActionState } from "@/lib/guards";

/** "Replay all failed" for the page's type filter: failed and dead events, a batch per click. */
export function BulkReplayButton({ type, failedCount }: { type?: string; failedCount: number }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(replayFailedWebhookEventsAction, {});
  const scope = type ? (type.endsWith(".") ? `${type}* events` : `${type} events`) : "events";
  return (
    <form action={action} className="flex flex-wrap items-center gap-3 text-sm">
      <input type="hidden" name="type" value={type ?? ""} />
      <button
        type="submit"
        disabled={pending || failedCount === 0}
        aria-busy={pending}
        className="rounded border border-red-300 bg-white px-3 py-1.5 font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50"
      >
        {pending ? "Replaying…" : `Replay all failed ${scope} (${failedCount})`}
      </button>
      {state.message && <span role="status" className="text-emerald-700">{state.message}</span>}
      {state.error && <span role="alert" className="text-red-700">{state.error}</span>}
    </form>
  );
}
