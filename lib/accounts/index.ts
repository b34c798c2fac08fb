import "server-only";

// Password accounts: sign-up with email verification, password reset, and the emails behind them.
// Each entry point is throttled per IP and per email, and answers the same whether or not the email
// has an account, so neither the answer nor the mail sent to a stranger reveals who is registered.
import { queueEmailToAddress, sendClaimedEmail } from "../email";
import { renderAccountEmail } from "./emails";
import { ConflictError } from "../core/errors";
import { inBackground } from "../core/http/after-response";
import { log } from "../core/log";
import { consumeAttempt, emailKey } from "./throttle";
import { createUserWithPassword, endAllSessions, findUserByEmail, getUserById, markEmailVerified, normalizeEmail, setPasswordHash } from "./users";
import { hashPassword } from "./auth/password";
import { safeRedirectPath } from "./auth/redirect";
import { consumeToken, findToken } from "./tokens";

export interface RequestContext {
  /** Null when unknown (no proxy header); per-IP budgets are then skipped, per-email ones still apply. */
  ip: string | null;
}

const DEFAULT_DESTINATION = "/wallet";

/** A sign-up's callbackUrl as a path on our own origin, or null for the default (the wallet). */
function continuation(callbackUrl: string | undefined): string | null {
  const path = safeRedirectPath(callbackUrl, DEFAULT_DESTINATION);
  return path === DEFAULT_DESTINATION ? null : path;
}

/**
 * Queues an account email (its link's token is issued when it is sent) and sends it after the
 * answer. Queuing is one statement whether or not `address` has an account, and the send is not
 * awaited, so the answer takes the same time either way and says nothing about who is registered.
 */
async function queueAccountEmail(address: string, email: Parameters<typeof queueEmailToAddress>[1]): Promise<void> {
  const id = await queueEmailToAddress(address, email);
  if (id) inBackground(() => sendClaimedEmail(id, renderAccountEmail));
}

/**
 * Sign-up. A new address gets an unverified account and a verification link; an address that
 * already has an account gets an email saying someone tried, and no account. Both return normally
 * (the caller says "check your email") and both hash the password, so they also take the same time.
 * A `callbackUrl` (say, the plan chosen on the landing page) rides along in the emailed links, so
 * the person continues there after verifying and signing in, even in another browser.
 */
export async function signUp(
  { callbackUrl, ...input }: { email: string; password: string; name?: string; callbackUrl?: string },
  context: RequestContext,
): Promise<void> {
  const email = normalizeEmail(input.email);
  const continueTo = continuation(callbackUrl);
  await consumeAttempt([
    { budget: "signUpIp", key: context.ip },
    { budget: "signUpEmail", key: emailKey(email) },
  ]);
  const existing = await findUserByEmail(email);
  if (!existing) {
    try {
      await createUserWithPassword({ ...input, email });
      await queueAccountEmail(email, { kind: "verify_email", payload: { callbackUrl: continueTo } });
      return;
    } catch (error) {
      // Lost a race with another sign-up for the same address: answer as for an existing account.
      if (!(error instanceof ConflictError)) throw error;
    }
  } else {
    await hashPassword(input.password);
  }
  await queueAccountEmail(email, { kind: "sign_up_attempt", payload: { callbackUrl: continueTo } });
}

/** Sends a new verification link to a signed-in, unverified user. */
export async function resendVerification(userId: string, context: RequestContext): Promise<void> {
  const user = await getUserById(userId);
  if (!user) return;
  await consumeAttempt([
    { budget: "verifyIp", key: context.ip },
    { budget: "verifyEmail", key: emailKey(user.email) },
  ]);
  if (user.emailVerified) return;
  await queueAccountEmail(user.email, { kind: "verify_email", payload: { callbackUrl: null } });
}

/**
 * What an emailed verification link stands for now, read without spending it (opening the link only
 * shows this; confirming is a POST, see app/(auth)/verify-email/page.tsx): `pending` names the address
 * it would verify; `verified` once that address is verified (by this link or another), so the page
 * says so instead of calling a used link invalid; `invalid` for an unknown or expired link.
 */
export type VerificationLink = { state: "pending"; email: string } | { state: "verified" } | { state: "invalid" };

export async function describeVerificationLink(token: string): Promise<VerificationLink> {
  const found = await findToken(token, "verify_email");
  const user = found ? await getUserById(found.userId) : null;
  if (!found || !user) return { state: "invalid" };
  if (user.emailVerified) return { state: "verified" };
  return found.spendable ? { state: "pending", email: user.email } : { state: "invalid" };
}

/** Spends a verification token; true when it verified an address. */
export async function verifyEmail(token: string): Promise<boolean> {
  const userId = await consumeToken(token, "verify_email", (tx, id) => markEmailVerified(id, tx));
  if (!userId) return false;
  log.info("email_verified", { userId });
  return true;
}

/** Emails a reset link when the address has an account; returns the same (nothing), in the same time, either way. */
export async function requestPasswordReset(emailInput: string, context: RequestContext): Promise<void> {
  const email = normalizeEmail(emailInput);
  await consumeAttempt([
    { budget: "resetIp", key: context.ip },
    { budget: "resetEmail", key: emailKey(email) },
  ]);
  await queueAccountEmail(email, { kind: "reset_password", payload: {} });
}

/**
 * Spends a reset token and sets the new password; false when the token is unknown, used or expired.
 * Using it also spends every other reset link of the user (consumeToken), and proves the user
 * reads mail at the address, so the address counts as verified from now on. Every session made
 * before ends (setPasswordHash), including any made by someone who had signed up with this address.
 */
export async function resetPassword(token: string, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  const userId = await consumeToken(token, "reset_password", async (tx, id) => {
    await setPasswordHash(id, passwordHash, tx);
    await markEmailVerified(id, tx);
  });
  if (!userId) return false;
  log.info("password_reset", { userId });
  return true;
}

/** "Sign out of all devices": ends every session of the user, the one asking included. */
export async function signOutEverywhere(userId: string): Promise<void> {
  await endAllSessions(userId);
  log.info("signed_out_everywhere", { userId });
}
export { authOptions, oauthProviderIds } from "./auth/options";
export { forgetSessionCookie, getCurrentUser } from "./auth/session";
export { safeRedirectPath } from "./auth/redirect";
export { signOutCsrfToken } from "./auth/csrf";
export { type ActionState, type FormAction, adminAction, fieldErrorState, publicAction, requireAdmin, requireUser, userAction, withAdmin, withAdminOrCronSecret, withCronSecret, withUser } from "./guards";
export { passwordResetAnswer, signUpAnswer, verificationResentAnswer } from "./answers";
export { clientIp } from "./throttle";
export { answerThrottledSignInWith429 } from "./auth/sign-in-throttle";
export { effectiveRole, normalizeEmail } from "./users";
export { hashPassword } from "./auth/password";
export { renderAccountEmail } from "./emails";
