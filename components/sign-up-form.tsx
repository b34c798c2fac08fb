"use client";

import Link from "next/link";
import { Field, FormError, FormNotice, SubmitButton } from "./form";
import { useJsonForm } from "./use-json-form";

/** `callbackUrl` goes into the emailed links, so the person continues there after verifying and signing in. */
export function SignUpForm({ callbackUrl, signInHref = "/signin" }: { callbackUrl?: string; signInHref?: string }) {
  const { state, pending, onSubmit } = useJsonForm("/api/account/sign-up", "We couldn't create your account just now. Please try again.");

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
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {callbackUrl && callbackUrl !== "/wallet" && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
      <Field label="Name" id="name" name="name" autoComplete="name" />
      <Field label="Email" id="email" name="email" type="email" autoComplete="email" required aria-describedby="email-error" />
      {state.fieldErrors?.email && <p id="email-error" className="text-sm text-red-700">{state.fieldErrors.email[0]}</p>}
      <Field label="Password" id="password" name="password" type="password" autoComplete="new-password" required minLength={8} aria-describedby="password-error" />
      {state.fieldErrors?.password && <p id="password-error" className="text-sm text-red-700">{state.fieldErrors.password[0]}</p>}
      <FormError>{state.error}</FormError>
      <SubmitButton pending={pending} pendingLabel="Creating your account…">Create account</SubmitButton>
    </form>
  );
}
