"use client";

import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { SubmitButton } from "./submit-button";

// One click signs out, from any page: a form that posts to next-auth's sign-out endpoint, which
// clears the session cookie and redirects home. `csrfToken` is read from next-auth's cookie by the
// server (lib/accounts/auth/csrf.ts), so the post works without JavaScript. When the browser has no CSRF
// cookie yet, signOut() from next-auth/react fetches a token and posts instead; without JavaScript
// next-auth then sends the browser to /signout, whose form carries the token it has just set.

export function SignOutForm({ csrfToken, className }: { csrfToken?: string; className?: string }) {
  const [pending, setPending] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    if (pending) {
      event.preventDefault();
      return;
    }
    setPending(true);
    if (csrfToken) return; // the browser posts the form itself
    event.preventDefault();
    signOut({ callbackUrl: "/" }).catch(() => setPending(false));
  }

  return (
    <form method="post" action="/api/auth/signout" onSubmit={onSubmit}>
      <input type="hidden" name="csrfToken" value={csrfToken ?? ""} />
      <input type="hidden" name="callbackUrl" value="/" />
      {/* Pending is this form's own: the post is a native one or signOut()'s, not a React action. */}
      <SubmitButton pending={pending} pendingLabel="Signing out…" className={className ?? "rounded border border-slate-400 px-3 py-1 hover:bg-slate-50"}>
        Sign out
      </SubmitButton>
    </form>
  );
}
