"use client";

import { useActionState } from "react";
import { replayFailedWebhookEventsAction } from "@/lib/actions/admin";
import type { ActionState } from "@/lib/accounts";
import { SubmitButton } from "@/components/form";

/** "Replay all failed" for the page's type filter: failed and dead events, a batch per click. */
export function BulkReplayButton({ type, failedCount }: { type?: string; failedCount: number }) {
  const [state, action] = useActionState<ActionState, FormData>(replayFailedWebhookEventsAction, {});
  const scope = type ? (type.endsWith(".") ? `${type}* events` : `${type} events`) : "events";
  return (
    <form action={action} className="flex flex-wrap items-center gap-3 text-sm">
      <input type="hidden" name="type" value={type ?? ""} />
      <SubmitButton
        disabled={failedCount === 0}
        pendingLabel="Replaying…"
        className="rounded border border-red-300 bg-white px-3 py-1.5 font-medium text-red-800 hover:bg-red-50"
      >
        {`Replay all failed ${scope} (${failedCount})`}
      </SubmitButton>
      {state.message && <span role="status" className="text-emerald-700">{state.message}</span>}
      {state.error && <span role="alert" className="text-red-700">{state.error}</span>}
    </form>
  );
}
