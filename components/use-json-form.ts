import { useState, type FormEvent } from "react";
import { z } from "zod";
import { apiErrorSchema, FIX_FIELDS_MESSAGE, NETWORK_FAILURE_MESSAGE, SECRET_FIELDS } from "@/lib/forms";
import type { ActionState } from "@/lib/guards";

// Forms that post JSON to a route handler rather than calling a server action, because the answer
// needs an HTTP status: a throttled request gets 429 with Retry-After, which an action cannot send.
// The form state has the same shape as an action's, so the forms render it the same way.

const answerSchema = z.object({ message: z.string() });

/** The route's answer as form state: its message, or its error (a 5xx shows only `failureMessage`). */
async function post(url: string, form: HTMLFormElement, failureMessage: string): Promise<ActionState> {
  const body: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) if (typeof value === "string") body[name] = value;
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

/**
 * State, pending flag and submit handler for a form that posts its fields as JSON to `url`. The
 * inputs keep what was typed after an error, except passwords and tokens, which are cleared.
 */
export function useJsonForm(url: string, failureMessage: string) {
  const [state, setState] = useState<ActionState>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setPending(true);
    try {
      const next = await post(url, form, failureMessage);
      if (next.error) {
        for (const field of form.querySelectorAll("input")) if (SECRET_FIELDS.test(field.name)) field.value = "";
      }
      setState(next);
    } finally {
      setPending(false);
    }
  }

  return { state, pending, onSubmit };
}
