import { AsyncLocalStorage } from "node:async_hooks";
import { TooManyRequestsError } from "../../core/errors";
import { clientIp, consumeAttempt, emailKey } from "../throttle";

// The sign-in throttle runs where the credential is checked, inside authorize(), so it sees exactly
// the email next-auth is about to check whatever path or body type carried it. next-auth turns an
// error thrown there into a 401 error redirect, so the refusal is also put where the route handler
// can find it and answer 429 with Retry-After instead (answerThrottledSignInWith429 below).

const verdicts = new AsyncLocalStorage<{ refused?: TooManyRequestsError }>();

/**
 * Counts a credentials sign-in attempt against the IP's budget and, when the email parsed, the
 * email's. Throws TooManyRequestsError when either is spent. Call it before the password is checked,
 * so a refused attempt costs no argon2 work and learns nothing about the password.
 */
export async function throttleSignIn(email: string | null, headers: Headers): Promise<void> {
  const hits: Array<{ budget: "signInIp" | "signInEmail"; key: string | null }> = [{ budget: "signInIp", key: clientIp(headers) }];
  if (email !== null) hits.push({ budget: "signInEmail", key: emailKey(email) });
  try {
    await consumeAttempt(hits);
  } catch (error) {
    const verdict = verdicts.getStore();
    if (verdict && error instanceof TooManyRequestsError) verdict.refused = error;
    throw error;
  }
}

/** Runs a next-auth request; when authorize() refused it for the throttle, throws that error (429 through the error map). */
export async function answerThrottledSignInWith429(run: () => Promise<Response>): Promise<Response> {
  const verdict: { refused?: TooManyRequestsError } = {};
  const response = await verdicts.run(verdict, run);
  if (verdict.refused) throw verdict.refused;
  return response;
}
