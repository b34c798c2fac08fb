import { consumeAttempt, emailKey, clientIp } from "../throttle";

/**
 * Counts a credentials sign-in attempt against the email's and the IP's budgets; throws
 * TooManyRequestsError when either is spent. Runs before next-auth checks the password, so a
 * limited attempt costs no argon2 work and learns nothing about the password.
 */
export async function throttleCredentialsSignIn(req: Request): Promise<void> {
  const form = await req.clone().formData().catch(() => null);
  const email = form?.get("email");
  const hits: Array<{ budget: "signInIp" | "signInEmail"; key: string | null }> = [{ budget: "signInIp", key: clientIp(req.headers) }];
  if (typeof email === "string" && email.trim()) hits.push({ budget: "signInEmail", key: emailKey(email) });
  await consumeAttempt(hits);
}
