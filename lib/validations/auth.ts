import { z } from "zod";

const email = z.email("Enter a valid email address.").max(254);
const newPassword = z.string().min(8, "Use at least 8 characters for your password.").max(200, "That password is too long.");
// Emailed tokens are 43 base64url characters; anything far off is not one of ours.
const token = z.string().min(20, "This link is incomplete.").max(200, "This link is not valid.");

export const signUpSchema = z.object({
  name: z.string().trim().max(100, "Keep your name under 100 characters.").optional().transform((name) => name || undefined),
  email,
  password: newPassword,
  // Where to continue after verifying and signing in (a plan chosen on the landing page); checked
  // against our own origin before it goes into any link (lib/accounts/auth/redirect.ts).
  callbackUrl: z.string().max(2000).optional(),
});

/**
 * The sign-in form before it is sent: only that both fields are filled, so an empty form is named
 * for what it is, not "doesn't match". Whether they match an account is next-auth's to say.
 */
export const signInFormSchema = z.object({
  email: z.string().trim().min(1, "Enter your email."),
  password: z.string().min(1, "Enter your password."),
});

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z.object({ token, password: newPassword });

export const verifyEmailSchema = z.object({ token });
