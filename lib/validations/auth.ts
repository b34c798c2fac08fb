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
  // against our own origin before it goes into any link (lib/auth/redirect.ts).
  callbackUrl: z.string().max(2000).optional(),
});

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z.object({ token, password: newPassword });

export const verifyEmailSchema = z.object({ token });
