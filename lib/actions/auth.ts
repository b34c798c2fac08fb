"use server";

import { publicAction } from "@/lib/guards";
import { createUserWithPassword } from "@/lib/users/queries";
import { signUpSchema } from "@/lib/validations/auth";

// Create a password account. The client signs in afterwards with the same credentials.
export const signUp = publicAction(
  signUpSchema,
  async (input) => {
    await createUserWithPassword(input);
    return { message: "Account created." };
  },
  { failureMessage: "We couldn't create your account just now. Please try again." },
);
