"use server";

import { redirect } from "next/navigation";
import { resetPassword, verifyEmail } from "@/lib/accounts";
import { publicAction } from "@/lib/accounts";
import { resetPasswordSchema, verifyEmailSchema } from "@/lib/validations/auth";

// The actions behind emailed links. Each spends a single-use 32-byte token, which cannot be guessed,
// so they need no throttle. Asking for an email (sign-up, reset request, resend) goes through the
// route handlers under app/api/account instead, which can answer a throttled request with 429.

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

// Confirm an address from the emailed link's page. The form then refreshes the page (components/
// account-forms.tsx ConfirmEmailForm), which says the address is verified, read from the database,
// with the header drawn anew: verifying ended this browser's session (lib/accounts/users.ts
// markEmailVerified), and a header drawn before would still show the person signed in and unverified.
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
