"use client";

import { useActionState } from "react";
import { Field, FormError, FormNotice, INPUT_CLASS, SubmitButton } from "@/components/form";
import { voidGrantAction } from "@/lib/actions/admin-grants";
import type { ActionState } from "@/lib/accounts";

/** Void what is left of one promotional grant, with a reason (required: the user and the audit log see it). */
export function VoidGrantForm({ grantId }: { grantId: string }) {
  const [state, action] = useActionState<ActionState, FormData>(voidGrantAction, {});
  return (
    <form action={action} className="space-y-2" aria-label={`Void grant ${grantId}`}>
      <input type="hidden" name="grantId" value={grantId} />
      <div className="flex flex-wrap items-start gap-2">
        <Field
          label="Reason"
          id={`void-${grantId}-reason`}
          name="reason"
          state={state}
          required
          minLength={3}
          maxLength={500}
          className="min-w-40 flex-1 space-y-1"
          labelClassName="block text-xs text-slate-700"
          inputClassName={`${INPUT_CLASS} px-2 py-1.5 text-sm`}
        />
        <SubmitButton pendingLabel="Voiding…" className="mt-5 rounded border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50">
          Void
        </SubmitButton>
      </div>
      <FormError state={state} />
      <FormNotice>{state.message}</FormNotice>
    </form>
  );
}
