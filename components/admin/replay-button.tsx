"use client";

import { useActionState } from "react";
import { replayWebhookEventAction } from "@/lib/actions/admin";
import type { ActionState } from "@/lib/guards";

export function ReplayButton({ eventId, stripeEventId }: { eventId: string; stripeEventId: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(replayWebhookEventAction, {});
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="eventId" value={eventId} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Retry ${stripeEventId}`}
        className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? "Retrying…" : "Retry now"}
      </button>
      {state.message && <span role="status" className="text-xs text-emerald-700">{state.message}</span>}
      {state.error && <span role="status" className="text-xs text-red-700">{state.error}</span>}
    </form>
  );
}
