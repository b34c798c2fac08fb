"use client";

import { getCsrfToken, signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { apiErrorSchema, NETWORK_FAILURE_MESSAGE } from "@/lib/forms";
import { Field, FormError, SubmitButton } from "./form";

const ERROR_MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password don't match an account. Check them and try again.",
  OAuthNoEmail: "Your account with that provider has no email address we can use.",
  OAuthEmailNotVerified:
    "An account with this email already exists, and that provider has not confirmed the address is yours, so we did not link them. Sign in with your password, or verify the address with the provider first.",
};

type Outcome = { ok: true } | { ok: false; message: string };

const answerSchema = z.object({ url: z.string() });

// Posts to next-auth's credentials endpoint directly (what signIn() from next-auth/react does),
// so a throttled attempt's 429 and its message reach the form instead of breaking the client.
async function signInWithPassword(email: string, password: string, callbackUrl: string): Promise<Outcome> {
  const csrfToken = (await getCsrfToken()) ?? "";
  const response = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl, json: "true" }),
  });
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 429) {
    const throttled = apiErrorSchema.safeParse(body);
    return { ok: false, message: throttled.success ? throttled.data.error.message : "Too many attempts. Try again later." };
  }
  // next-auth answers with the URL it would redirect to; a failed check carries ?error=… in it.
  const answer = answerSchema.safeParse(body);
  const error = answer.success ? new URL(answer.data.url, window.location.origin).searchParams.get("error") : "CredentialsSignin";
  if (!response.ok || error) return { ok: false, message: ERROR_MESSAGES[error ?? ""] ?? ERROR_MESSAGES.CredentialsSignin ?? "" };
  return { ok: true };
}

export function SignInForm({ callbackUrl, initialError, oauthProviders }: { callbackUrl: string; initialError?: string; oauthProviders: string[] }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(initialError ? (ERROR_MESSAGES[initialError] ?? "Sign-in failed. Try again.") : "");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError("");
    try {
      const outcome = await signInWithPassword(String(form.get("email") ?? ""), String(form.get("password") ?? ""), callbackUrl);
      if (!outcome.ok) {
        setError(outcome.message);
        return;
      }
      router.push(callbackUrl);
      router.refresh();
    } catch {
      setError(NETWORK_FAILURE_MESSAGE);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field label="Email" id="email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" id="password" name="password" type="password" autoComplete="current-password" required />
        <p className="text-right text-sm">
          <Link href="/forgot-password" className="text-indigo-700 underline">Forgot password?</Link>
        </p>
        <FormError>{error}</FormError>
        <SubmitButton pending={pending} pendingLabel="Signing in…">Sign in</SubmitButton>
      </form>
      {oauthProviders.map((provider) => (
        <button
          key={provider}
          type="button"
          onClick={() => signIn(provider, { callbackUrl })}
          className="w-full rounded border border-slate-300 px-4 py-2 font-medium capitalize hover:bg-slate-50"
        >
          Continue with {provider}
        </button>
      ))}
    </div>
  );
}
