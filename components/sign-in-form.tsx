"use client";

import { getCsrfToken, signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { apiErrorSchema, FIX_FIELDS_MESSAGE } from "@/lib/core/forms";
import { signInFormSchema } from "@/lib/validations/auth";
import { Field, FormError, SubmitButton } from "./form";
import { useKeptForm } from "./use-kept-form";

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
  const [state, action, pending] = useKeptForm(
    async (form) => {
      const filled = signInFormSchema.safeParse({ email: form.get("email") ?? "", password: form.get("password") ?? "" });
      if (!filled.success) return { error: FIX_FIELDS_MESSAGE, code: "validation_error", fieldErrors: z.flattenError(filled.error).fieldErrors };
      const outcome = await signInWithPassword(filled.data.email, filled.data.password, callbackUrl);
      if (!outcome.ok) return { error: outcome.message };
      router.push(callbackUrl);
      router.refresh();
      return {};
    },
    initialError ? { error: ERROR_MESSAGES[initialError] ?? "Sign-in failed. Try again." } : {},
  );

  return (
    <div className="space-y-4">
      <form action={action} className="space-y-4" noValidate>
        <Field label="Email" name="email" state={state} type="email" autoComplete="email" required />
        <Field label="Password" name="password" state={state} type="password" autoComplete="current-password" required />
        <p className="text-right text-sm">
          <Link href="/forgot-password" className="text-indigo-700 underline">Forgot password?</Link>
        </p>
        <FormError state={state} />
        <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
      </form>
      {oauthProviders.map((provider) => (
        <button
          key={provider}
          type="button"
          disabled={pending}
          onClick={() => signIn(provider, { callbackUrl })}
          className="w-full rounded border border-slate-400 px-4 py-2 font-medium capitalize hover:bg-slate-50 disabled:opacity-60"
        >
          Continue with {provider}
        </button>
      ))}
    </div>
  );
}
