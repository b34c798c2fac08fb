import { unstable_rethrow } from "next/navigation";
import { useActionState } from "react";
import { z } from "zod";
import { apiErrorSchema, FIX_FIELDS_MESSAGE, NETWORK_FAILURE_MESSAGE } from "@/lib/core/forms";
import type { ActionState } from "@/lib/accounts";

// Form state for the forms that run in the browser before (or instead of) a server action: sign-in,
// and the forms that post JSON to a route handler because the answer needs an HTTP status (a
// throttled request gets 429 with Retry-After, which an action cannot send). The state has the same
// shape as a server action's, so every form renders it the same way (components/form.tsx).
//
// On any error the state keeps everything the person typed, passwords included, so the inputs come
// back with it after React resets the form. Those values live only in this browser's memory; no
// server ever sends a password back (lib/accounts/guards.ts keeps secrets out of an action's `values`).

/** Every text field of the form, as typed. */
export function typedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === "string" && !name.startsWith("$ACTION")) values[name] = value;
  return values;
}

/** `[state, formAction, pending]` for a form whose action is `submit`; a failed submit keeps what was typed. */
export function useKeptForm(submit: (form: FormData) => Promise<ActionState>, initial: ActionState = {}) {
  return useActionState<ActionState, FormData>(async (_previous, form) => {
    let next: ActionState;
    try {
      next = await submit(form);
    } catch (error) {
      // A server action's redirect is Next's control flow, not a failure.
      unstable_rethrow(error);
      next = { error: NETWORK_FAILURE_MESSAGE, code: "network_error" };
    }
    return next.error || next.fieldErrors ? { ...next, values: typedValues(form) } : next;
  }, initial);
}

const answerSchema = z.object({ message: z.string() });

/** The route's answer as form state: its message, or its error (a 5xx shows only `failureMessage`). */
export async function postForm(url: string, form: FormData, failureMessage: string): Promise<ActionState> {
  const body = typedValues(form);
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    return { error: NETWORK_FAILURE_MESSAGE, code: "network_error" };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const answer = answerSchema.safeParse(json);
    return answer.success ? { message: answer.data.message } : { error: failureMessage };
  }
  const failed = apiErrorSchema.safeParse(json);
  if (!failed.success || response.status >= 500) return { error: failureMessage, code: failed.data?.error.code };
  const { code, message, fields } = failed.data.error;
  // A 422 names each field's problem; the form shows them next to the fields.
  if (fields) return { error: FIX_FIELDS_MESSAGE, code, fieldErrors: fields };
  return { error: message, code };
}

/** `[state, formAction, pending]` for a form that posts its fields as JSON to `url`. */
export function useJsonForm(url: string, failureMessage: string) {
  return useKeptForm((form) => postForm(url, form, failureMessage));
}
