import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../../core/db";
import { createUserWithPassword, markEmailVerified, verifyCredentials } from "../users";
import { decideOAuthSignIn, providerVerifiedEmail, signInWithOAuth } from "./oauth";

describe("the OAuth linking rule", () => {
  it.each([
    // [linked to a user, a user has the email, provider verified the email] → decision
    [true, true, false, "sign_in_linked"],
    [true, false, false, "sign_in_linked"],
    [false, false, false, "create"],
    [false, false, true, "create"],
    [false, true, true, "link"],
    [false, true, false, "refuse"],
  ] as const)("linked=%s existing=%s verified=%s → %s", (linked, existing, verified, decision) => {
    expect(decideOAuthSignIn({ linkedUserId: linked ? "u_linked" : null, existingUserId: existing ? "u_existing" : null, providerVerifiedEmail: verified })).toBe(decision);
  });

  it("trusts Google only for email_verified === true", () => {
    const check = (profile: unknown) => providerVerifiedEmail({ provider: "google", email: "a@example.test", profile });
    expect(check({ email: "a@example.test", email_verified: true })).toBe(true);
    expect(check({ email: "a@example.test", email_verified: false })).toBe(false);
    expect(check({ email: "a@example.test", email_verified: "true" })).toBe(false);
    expect(check({ email: "a@example.test" })).toBe(false);
  });

  it("trusts GitHub only for the matching primary address marked verified", () => {
    const check = (githubEmails: Array<{ email: string; primary: boolean; verified: boolean }> | undefined) =>
      providerVerifiedEmail({ provider: "github", email: "A@example.test", profile: { email: "a@example.test" }, githubEmails });
    expect(check([{ email: "a@example.test", primary: true, verified: true }])).toBe(true);
    expect(check([{ email: "a@example.test", primary: true, verified: false }])).toBe(false);
    expect(check([{ email: "a@example.test", primary: false, verified: true }, { email: "b@example.test", primary: true, verified: true }])).toBe(false);
    expect(check([{ email: "b@example.test", primary: true, verified: true }])).toBe(false);
    expect(check(undefined)).toBe(false);
  });

  it("trusts no other provider", () => {
    expect(providerVerifiedEmail({ provider: "gitlab", email: "a@example.test", profile: { email_verified: true } })).toBe(false);
  });
});

describe("signInWithOAuth", () => {
  const oauth = (email: string, verified: boolean, providerAccountId = randomUUID()) => ({
    email,
    name: "Someone",
    image: null,
    provider: "google",
    providerAccountId,
    type: "oauth",
    providerVerifiedEmail: verified,
  });

  it("refuses to link an existing account when the provider has not verified the email", async () => {
    const email = `oauth-${randomUUID()}@example.test`;
    const owner = await createUserWithPassword({ email, password: "owner password" });
    await markEmailVerified(owner.id);
    expect(await signInWithOAuth(oauth(email, false))).toEqual({ ok: false, error: "OAuthEmailNotVerified" });
    expect(await db().account.count({ where: { userId: owner.id } })).toBe(0);
  });

  it("links when the provider verified the email, and an unproven password stops working", async () => {
    const email = `oauth-${randomUUID()}@example.test`;
    // Someone registered the address first without ever proving it.
    const squatter = await createUserWithPassword({ email, password: "squatter password" });
    const result = await signInWithOAuth(oauth(email, true));
    expect(result).toMatchObject({ ok: true, user: { id: squatter.id, emailVerified: true } });
    expect(await db().account.count({ where: { userId: squatter.id } })).toBe(1);
    expect(await verifyCredentials(email, "squatter password")).toBeNull();
  });

  it("keeps a verified account's password when linking", async () => {
    const email = `oauth-${randomUUID()}@example.test`;
    const owner = await createUserWithPassword({ email, password: "owner password" });
    await markEmailVerified(owner.id);
    expect(await signInWithOAuth(oauth(email, true))).toMatchObject({ ok: true, user: { id: owner.id } });
    expect(await verifyCredentials(email, "owner password")).not.toBeNull();
  });

  it("creates a new user verified only if the provider verified the email, and signs a linked account in again", async () => {
    const verifiedEmail = `oauth-${randomUUID()}@example.test`;
    const unverifiedEmail = `oauth-${randomUUID()}@example.test`;
    const accountId = randomUUID();
    const created = await signInWithOAuth(oauth(verifiedEmail, true, accountId));
    expect(created).toMatchObject({ ok: true, user: { email: verifiedEmail, emailVerified: true, role: "USER" } });
    expect(await signInWithOAuth(oauth(unverifiedEmail, false))).toMatchObject({ ok: true, user: { emailVerified: false } });
    const again = await signInWithOAuth(oauth(verifiedEmail, false, accountId));
    expect(again.ok && created.ok && again.user.id === created.user.id).toBe(true);
  });
});
