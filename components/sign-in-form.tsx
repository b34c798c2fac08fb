"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field, FormError, SubmitButton } from "./form";

const ERROR_MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password don't match an account. Check them and try again.",
  OAuthNoEmail: "Your account with that provider has no email address we can use.",
};

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
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(ERROR_MESSAGES[result?.error ?? ""] ?? ERROR_MESSAGES.CredentialsSignin ?? "");
        return;
      }
      router.push(callbackUrl);
      router.refresh();
    } catch {
      setError("We couldn't reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field label="Email" id="email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" id="password" name="password" type="password" autoComplete="current-password" required />
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
