"use client";

import { useActionState } from "react";
import { cancelPurchase } from "@/lib/actions/wallet";
import type { ActionState } from "@/lib/accounts";
import { SubmitButton } from "@/components/submit-button";

// Cancel on an open purchase: posts the cancel action (Stripe expires the session, then the purchase
// shows as canceled). Disabled while it runs, so a double click sends one request.
export function CancelPurchaseButton({ purchaseId }: { purchaseId: string }) {
  const [state, action] = useActionState<ActionState, FormData>(cancelPurchase, {});
  return (
    <form action={action} className="flex flex-col gap-1">
      <input type="hidden" name="purchaseId" value={purchaseId} />
      <SubmitButton pendingLabel="Canceling…" className="self-start rounded border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50">
        Cancel
      </SubmitButton>
      {state.error && (
        <p role="alert" className="text-red-800">
          {state.error}
        </p>
      )}
    </form>
  );
}
