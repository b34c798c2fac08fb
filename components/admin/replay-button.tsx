"use client";

import { useActionState } from "react";
import { replayWebhookEventAction } from "@/lib/actions/admin";
import type { ActionState } from "@/lib/accounts";
import { SubmitButton } from "@/components/form";

/** Replays one stored event; shown only where isReplayable says the server will accept it. */
export function ReplayButton({ eventId, stripeEventId }: { eventId: string; stripeEventId: string }) {
  const [state, action] = useActionState<ActionState, FormData>(replayWebhookEventAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="eventId" value={eventId} />
      <SubmitButton label={`Replay ${stripeEventId}`} pendingLabel="Replaying…" className="rounded border border-slate-400 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-50">
        Replay
      </SubmitButton>
      {state.message && <span role="status" className="text-xs text-emerald-700">{state.message}</span>}
      {state.error && <span role="alert" className="text-xs text-red-700">{state.error}</span>}
    </form>
  );
}
