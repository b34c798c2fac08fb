"use client";

import Link from "next/link";
import { Field, FormError, FormNotice, SubmitButton } from "./form";
import { useJsonForm } from "./use-kept-form";

/** `callbackUrl` goes into the emailed links, so the person continues there after verifying and signing in. */
export function SignUpForm({ callbackUrl, signInHref = "/signin" }: { callbackUrl?: string; signInHref?: string }) {
  const [state, action] = useJsonForm("/api/account/sign-up", "We couldn't create your account just now. Please try again.");

  // The same answer whether or not the address already had an account: the email tells its owner which.
  if (state.message) {
    return (
      <div className="space-y-4">
        <FormNotice>{state.message}</FormNotice>
        <Link href={signInHref} className="block w-full rounded bg-indigo-600 px-4 py-2 text-center font-medium text-white hover:bg-indigo-700">
          Sign in
        </Link>
      </div>
    );
  }

  return (
    <form action={action} className="space-y-4" noValidate>
      {callbackUrl && callbackUrl !== "/wallet" && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
      <Field label="Name" name="name" state={state} autoComplete="name" />
      <Field label="Email" name="email" state={state} type="email" autoComplete="email" required />
      <Field label="Password" name="password" state={state} type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." />
      <FormError state={state} />
      <SubmitButton pendingLabel="Creating your account…">Create account</SubmitButton>
    </form>
  );
}
