"use server";

import { z } from "zod";
import { ConflictError } from "@/lib/errors";
import { createUserWithPassword } from "@/lib/users/queries";
import { signUpSchema } from "@/lib/validations/auth";
import { log } from "@/lib/log";

export type SignUpState = { ok: boolean; error?: string; fieldErrors?: Record<string, string[] | undefined> };

// Server action: create a password account. The client signs in afterwards with the same credentials.
export async function signUp(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const parsed = signUpSchema.safeParse({
    name: form.get("name") || undefined,
    email: form.get("email"),
    password: form.get("password"),
  });
  if (!parsed.success) {
    return { ok: false, error: "Please fix the highlighted fields.", fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  try {
    await createUserWithPassword(parsed.data);
    return { ok: true };
  } catch (error) {
    if (error instanceof ConflictError) return { ok: false, error: error.message };
    log.error("sign_up_failed", { error: error instanceof Error ? error.message : String(error) });
    return { ok: false, error: "We couldn't create your account just now. Please try again." };
  }
}
