import { z } from "zod";

export const signUpSchema = z.object({
  name: z.string().trim().max(100, "Keep your name under 100 characters.").optional().transform((name) => name || undefined),
  email: z.email("Enter a valid email address.").max(254),
  password: z.string().min(8, "Use at least 8 characters for your password.").max(200, "That password is too long."),
});
