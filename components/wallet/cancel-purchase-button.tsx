"use client";

import { useActionState } from "react";
import { cancelPurchase } from "@/lib/actions/wallet";
import type { ActionState } from "@/lib/guards";

// Cancel on an open purchase: posts the cancel action (Stripe expires the session, then the purchase
// shows as cancelled). Disabled while it runs, so a double click sends one request.
export function CancelPurchaseButton({ purchaseId }: { purchaseId: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(cancelPurchase, {});
  return (
    <form action={action} className="flex flex-col gap-1">
      <input type="hidden" name="purchaseId" value={purchaseId} />
      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        className="self-start rounded border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-wait disabled:opacity-60"
      >
        {pending ? "Cancelling…" : "Cancel"}
      </button>
      {state.error && (
        <p role="alert" className="text-red-800">
          {state.error}
        </p>
      )}
    </form>
  );
}
