import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../../scripts/mail-catcher";
import { linkIn, readInbox } from "../../scripts/mail-inbox";
import { startTestMailCatcher, waitForInbox } from "../../test/mail";
import { db } from "../core/db";
import { TooManyRequestsError } from "../core/errors";
import { verifyCredentials } from "./users";
import { describeVerificationLink, requestPasswordReset, resendVerification, resetPassword, signUp, verifyEmail } from ".";

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestMailCatcher();
});
afterAll(() => catcher.stop());

const context = () => ({ ip: `test-${randomUUID()}` });
const uniqueEmail = (prefix: string) => `${prefix}-${randomUUID()}@example.test`;

describe("sign-up and email verification", () => {
  it("creates an unverified account and emails a link that verifies it, once", async () => {
    const email = uniqueEmail("signup");
    await signUp({ email, password: "a long password" }, context());
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerified).toBeNull();

    const [mail] = await waitForInbox(catcher, email, 1);
    expect(mail?.subject).toBe("Verify your email for Billfold");
    expect(mail?.html).toContain("Verify my email");
    const link = linkIn(mail!, "/verify-email");
    const token = link.searchParams.get("token") ?? "";

    expect(await verifyEmail(token)).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { email } })).emailVerified).toBeInstanceOf(Date);
    expect(await verifyEmail(token)).toBe(false);
  });

  it("reads a link without spending it: opened, it names the address; once verified, it says so; unknown, it is invalid", async () => {
    const email = uniqueEmail("link-state");
    await signUp({ email, password: "a long password" }, context());
    const [mail] = await waitForInbox(catcher, email, 1);
    const token = linkIn(mail!, "/verify-email").searchParams.get("token") ?? "";

    expect(await describeVerificationLink(token)).toEqual({ state: "pending", email });
    expect(await describeVerificationLink(token)).toEqual({ state: "pending", email });
    expect((await db().user.findUniqueOrThrow({ where: { email } })).emailVerified).toBeNull();

    expect(await verifyEmail(token)).toBe(true);
    expect(await describeVerificationLink(token)).toEqual({ state: "verified" });
    expect(await describeVerificationLink("b".repeat(43))).toEqual({ state: "invalid" });
  });

  it("answers the same for an existing email, emails its owner instead, and creates nothing", async () => {
    const email = uniqueEmail("existing");
    const fresh = await signUp({ email, password: "first password" }, context());
    const before = await db().user.findUniqueOrThrow({ where: { email } });

    const again = await signUp({ email: email.toUpperCase(), password: "attacker password" }, context());
    expect(again).toEqual(fresh);
    const after = await db().user.findUniqueOrThrow({ where: { email } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(await db().user.count({ where: { email: { equals: email, mode: "insensitive" } } })).toBe(1);
    expect(await verifyCredentials(email, "attacker password")).toBeNull();

    const mail = await waitForInbox(catcher, email, 2);
    expect(mail.map((m) => m.subject)).toEqual(["Verify your email for Billfold", "Someone tried to sign up to Billfold with your email"]);
    expect(mail[1]?.text).toContain("/forgot-password");
    expect(mail[1]?.text).not.toContain("token=");
  });

  it("carries a same-origin callbackUrl (a plan chosen on the landing page) in the emailed links, and drops any other", async () => {
    const email = uniqueEmail("signup-plan");
    await signUp({ email, password: "a long password", callbackUrl: "/billing?upgrade=pro" }, context());
    await signUp({ email, password: "a long password", callbackUrl: "/billing?upgrade=pro" }, context());
    const [verify, attempt] = await waitForInbox(catcher, email, 2);
    expect(linkIn(verify!, "/verify-email").searchParams.get("callbackUrl")).toBe("/billing?upgrade=pro");
    expect(linkIn(attempt!, "/signin").searchParams.get("callbackUrl")).toBe("/billing?upgrade=pro");

    for (const hostile of ["https://evil.example/billing", "//evil.example", "javascript:alert(1)"]) {
      const other = uniqueEmail("signup-hostile");
      await signUp({ email: other, password: "a long password", callbackUrl: hostile }, context());
      const [mail] = await waitForInbox(catcher, other, 1);
      const link = linkIn(mail!, "/verify-email");
      expect(link.searchParams.has("callbackUrl"), hostile).toBe(false);
      expect(mail?.text, hostile).not.toContain("evil");
    }
  });

  it("resends a link to an unverified user, throttled per email", async () => {
    const email = uniqueEmail("resend");
    await signUp({ email, password: "a long password" }, context());
    const { id } = await db().user.findUniqueOrThrow({ where: { email } });
    for (let i = 0; i < 3; i++) await resendVerification(id, context());
    await expect(resendVerification(id, context())).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(await waitForInbox(catcher, email, 4)).toHaveLength(4);
  });

  it("throttles sign-up per email", async () => {
    const email = uniqueEmail("signup-throttle");
    for (let i = 0; i < 3; i++) await signUp({ email, password: "a long password" }, context());
    await expect(signUp({ email, password: "a long password" }, context())).rejects.toMatchObject({ status: 429 });
  });
});

describe("password reset", () => {
  it("emails a single-use link; the new password works, the old one and older links do not", async () => {
    const email = uniqueEmail("reset");
    await signUp({ email, password: "old password" }, context());
    await requestPasswordReset(email, context());
    await requestPasswordReset(email, context());
    const resets = (await waitForInbox(catcher, email, 3)).filter((m) => m.subject === "Reset your Billfold password");
    expect(resets).toHaveLength(2);
    const [older, newer] = resets.map((m) => linkIn(m, "/reset-password").searchParams.get("token") ?? "");

    expect(await resetPassword(newer ?? "", "new password")).toBe(true);
    expect(await verifyCredentials(email, "new password")).not.toBeNull();
    expect(await verifyCredentials(email, "old password")).toBeNull();
    expect(await resetPassword(newer ?? "", "third password")).toBe(false);
    expect(await resetPassword(older ?? "", "third password")).toBe(false);
    expect(await verifyCredentials(email, "new password")).not.toBeNull();
    // Reading the link proved the address, so it counts as verified now.
    expect((await db().user.findUniqueOrThrow({ where: { email } })).emailVerified).toBeInstanceOf(Date);
  });

  it("answers the same for an unknown email and sends nothing", async () => {
    const known = uniqueEmail("known");
    await signUp({ email: known, password: "a long password" }, context());
    const unknown = uniqueEmail("unknown");
    expect(await requestPasswordReset(unknown, context())).toEqual(await requestPasswordReset(known, context()));
    expect(await waitForInbox(catcher, known, 2)).toHaveLength(2);
    expect(await readInbox(catcher.webUrl, unknown)).toEqual([]);
    expect(await db().authToken.count({ where: { user: { email: unknown } } })).toBe(0);
  });

  it("throttles reset requests per email, known or not", async () => {
    const email = uniqueEmail("reset-throttle");
    for (let i = 0; i < 3; i++) await requestPasswordReset(email, context());
    await expect(requestPasswordReset(email, context())).rejects.toMatchObject({ status: 429, code: "rate_limited" });
  });
});
