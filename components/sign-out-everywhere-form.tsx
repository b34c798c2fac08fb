"use client";

import { useActionState } from "react";
import { signOutOfAllDevices } from "@/lib/actions/sessions";
import type { ActionState } from "@/lib/accounts";
import { FormError } from "./form";
import { SubmitButton } from "./submit-button";

// Ends every session of the signed-in user, on every device and this one; the action then sends
// this browser to sign in.
export function SignOutEverywhereForm() {
  const [state, action] = useActionState<ActionState, FormData>(signOutOfAllDevices, {});
  return (
    <form action={action} className="space-y-3">
      <FormError state={state} />
      <SubmitButton variant="quiet" pendingLabel="Signing out everywhere…">
        Sign out of all devices
      </SubmitButton>
    </form>
  );
}
