"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import { signUp } from "@/lib/actions/auth";
import type { ActionState } from "@/lib/guards";
import { Field, FormError, SubmitButton } from "./form";

export function SignUpForm() {
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionState, FormData>(signUp, {});
  const credentials = useRef<{ email: string; password: string } | null>(null);

  useEffect(() => {
    if (!state.message || !credentials.current) return;
    void signIn("credentials", { ...credentials.current, redirect: false }).then((result) => {
      router.push(result?.ok ? "/wallet" : "/signin");
      router.refresh();
    });
  }, [state, router]);

  return (
    <form
      action={action}
      onSubmit={(event) => {
        const form = new FormData(event.currentTarget);
        credentials.current = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
      }}
      className="space-y-4"
      noValidate
    >
      <Field label="Name" id="name" name="name" autoComplete="name" />
      <Field label="Email" id="email" name="email" type="email" autoComplete="email" required aria-describedby="email-error" />
      {state.fieldErrors?.email && <p id="email-error" className="text-sm text-red-700">{state.fieldErrors.email[0]}</p>}
      <Field label="Password" id="password" name="password" type="password" autoComplete="new-password" required minLength={8} aria-describedby="password-error" />
      {state.fieldErrors?.password && <p id="password-error" className="text-sm text-red-700">{state.fieldErrors.password[0]}</p>}
      <FormError>{state.error}</FormError>
      <SubmitButton pending={pending || !!state.message} pendingLabel="Creating your account…">Create account</SubmitButton>
    </form>
  );
}
