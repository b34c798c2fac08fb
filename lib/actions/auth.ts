"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requestPasswordReset, resendVerification, resetPassword, signUp as signUpAccount, verifyEmail } from "@/lib/accounts";
import { publicAction, userAction } from "@/lib/guards";
import { clientIp } from "@/lib/throttle";
import { forgotPasswordSchema, resetPasswordSchema, signUpSchema, verifyEmailSchema } from "@/lib/validations/auth";

// Server actions answer a form, not an HTTP client, so a throttled one comes back as the form's
// error ("Too many attempts. Try again in N minutes.") through the one error map; the HTTP 429 with
// Retry-After is on the credentials sign-in endpoint, which scripts can call directly.

async function requestContext() {
  return { ip: clientIp(await headers()) };
}

// Create a password account and email a verification link. An existing address gets the same answer
// (and an email telling its owner), so the form never reveals who has an account.
export const signUp = publicAction(
  signUpSchema,
  async (input) => {
    await signUpAccount(input, await requestContext());
    return { message: `We've sent a link to ${input.email}. Open it to confirm your address, then sign in.`, values: { email: input.email } };
  },
  { failureMessage: "We couldn't create your account just now. Please try again." },
);

// Email a password-reset link, answering the same whether or not the address has an account.
export const forgotPassword = publicAction(
  forgotPasswordSchema,
  async ({ email }) => {
    await requestPasswordReset(email, await requestContext());
    return { message: `If ${email} has a Billfold account, we've sent it a link to choose a new password. The link works for 1 hour.`, values: { email } };
  },
  { failureMessage: "We couldn't send the email just now. Please try again." },
);

// Set a new password from an emailed link, then send the person to sign in with it.
export const resetPasswordWithToken = publicAction(
  resetPasswordSchema,
  async ({ token, password }) => {
    if (!(await resetPassword(token, password))) {
      return { error: "This link has expired or was already used. Ask for a new one.", code: "invalid_token" };
    }
    redirect("/signin?reset=1");
  },
  { failureMessage: "We couldn't change your password just now. Please try again." },
);

// Confirm an address from an emailed link.
export const verifyEmailWithToken = publicAction(
  verifyEmailSchema,
  async ({ token }) => {
    if (!(await verifyEmail(token))) {
      return { error: "This link has expired or was already used. Sign in and ask for a new one.", code: "invalid_token" };
    }
    return { message: "Your email address is verified." };
  },
  { failureMessage: "We couldn't verify your email just now. Please try again." },
);

// Send the signed-in user a fresh verification link.
export const resendVerificationEmail = userAction(
  z.object({}),
  async (_input, user) => {
    await resendVerification(user.id, await requestContext());
    return { message: `We've sent a new link to ${user.email}.` };
  },
  { failureMessage: "We couldn't send the email just now. Please try again." },
);
