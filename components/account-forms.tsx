"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { resetPasswordWithToken, verifyEmailWithToken } from "@/lib/actions/auth";
import type { ActionState } from "@/lib/accounts";
import { Field, FormError, FormNotice, SubmitButton } from "./form";
import { useJsonForm, useKeptForm } from "./use-kept-form";

// The small forms behind emailed links: forgot password, reset password, verify email, resend.
// Asking for an email (forgot password, resend) posts to a route handler, so a throttled request
// gets a real 429 with Retry-After; spending an emailed token is a server action.

export function ForgotPasswordForm() {
  const [state, action] = useJsonForm("/api/account/password-reset", "We couldn't send the email just now. Please try again.");
  if (state.message) return <FormNotice>{state.message}</FormNotice>;
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field label="Email" name="email" state={state} type="email" autoComplete="email" required />
      <FormError state={state} />
      <SubmitButton pendingLabel="Sending…">Email me a reset link</SubmitButton>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  // Called from the browser rather than posted as the form's action, so the new password the person
  // typed stays in the field after an error without the server ever sending it back.
  const [state, action] = useKeptForm((form) => resetPasswordWithToken({}, form));
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <Field label="New password" name="password" state={state} type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." />
      <FormError state={state}>{state.fieldErrors?.token?.[0]}</FormError>
      {state.code === "invalid_token" && (
        <p className="text-sm">
          <Link href="/forgot-password" className="text-indigo-700 underline">Send me a new link</Link>
        </p>
      )}
      <SubmitButton pendingLabel="Saving…">Set new password</SubmitButton>
    </form>
  );
}

// The emailed link's page asks for one press rather than verifying on the GET (why: the comment in
// app/(auth)/verify-email/page.tsx). Once it has verified, the page is fetched again from the server,
// layout included (a router refresh; a redirect from the action would redraw only the page's own
// segment and keep the header of the session that verifying ended): it then says the address is verified.
export function ConfirmEmailForm({ token, email }: { token: string; email: string }) {
  const [state, action] = useActionState<ActionState, FormData>(verifyEmailWithToken, {});
  const router = useRouter();
  const verified = Boolean(state.message);
  useEffect(() => {
    if (verified) router.refresh();
  }, [verified, router]);
  if (state.message) return <FormNotice>{state.message}</FormNotice>;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <p>
        Confirm that <strong className="break-all">{email}</strong> is your email address.
      </p>
      <p className="text-sm text-slate-600">Confirming signs this account out everywhere, for safety; you then sign in again.</p>
      <FormError>{state.error ?? state.fieldErrors?.token?.[0]}</FormError>
      <SubmitButton pendingLabel="Confirming…">Confirm my email address</SubmitButton>
    </form>
  );
}

export function ResendVerificationForm() {
  const [state, action] = useJsonForm("/api/account/verification-email", "We couldn't send the email just now. Please try again.");
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <SubmitButton pendingLabel="Sending…" className="rounded border border-amber-700 bg-white px-3 py-1 text-sm font-medium text-amber-950 hover:bg-amber-100">
        Resend the link
      </SubmitButton>
      {state.message && <span role="status" className="text-sm text-emerald-900">{state.message}</span>}
      {state.error && <span role="alert" className="text-sm text-red-800">{state.error}</span>}
    </form>
  );
}
