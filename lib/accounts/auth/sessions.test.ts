import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it } from "vitest";
import { callRoute, sessionCookie } from "@/test/next-request";
import { GET as me } from "@/app/api/me/route";
import { resetPassword, verifyEmail } from "..";
import { issueToken } from "../tokens";
import { db } from "../../core/db";
import { env } from "../../core/env";
import { createUserWithPassword } from "../users";
import { signInWithOAuth } from "./oauth";
import { authOptions } from "./options";

// A session is the JWT next-auth issued at sign-in; each test mints one as sign-in would
// (sessionCookie), changes what the session was made with through the real function, then asks a
// signed-in route (GET /api/me, behind withUser and getCurrentUser) who the browser is.

const uniqueEmail = (prefix: string) => `${prefix}-${randomUUID()}@example.test`;

async function whoIs(cookie: string): Promise<{ status: number; email?: string; role?: string }> {
  const response = await callRoute(me, new Request("http://localhost:3000/api/me", { headers: { cookie } }));
  if (response.status !== 200) return { status: response.status };
  const body: { user: { email: string; role: string } } = await response.json();
  return { status: 200, email: body.user.email, role: body.user.role };
}

afterEach(() => {
  env().ADMIN_EMAILS = undefined;
});

describe("what ends a session", () => {
  it("a password reset ends the sessions made before it (a squatter's, with the old password), not the ones after", async () => {
    const email = uniqueEmail("reset");
    const squatter = await createUserWithPassword({ email, password: "the squatter's password" });
    const squatterSession = await sessionCookie(squatter);
    expect(await whoIs(squatterSession)).toMatchObject({ status: 200, email });

    expect(await resetPassword(await issueToken(squatter.id, "reset_password"), "the owner's new password")).toBe(true);

    expect(await whoIs(squatterSession)).toEqual({ status: 401 });
    expect(await whoIs(await sessionCookie(squatter))).toMatchObject({ status: 200, email });
  });

  it("the first verification of the address ends the sessions made before it; a later one ends nothing", async () => {
    const email = uniqueEmail("verify");
    const user = await createUserWithPassword({ email, password: "a long password" });
    const before = await sessionCookie(user);
    expect(await whoIs(before)).toMatchObject({ status: 200 });

    expect(await verifyEmail(await issueToken(user.id, "verify_email"))).toBe(true);
    expect(await whoIs(before)).toEqual({ status: 401 });

    const after = await sessionCookie(user);
    expect(await verifyEmail(await issueToken(user.id, "verify_email"))).toBe(true);
    expect(await whoIs(after)).toMatchObject({ status: 200, email });
  });

  it("an OAuth link ends the sessions made before it, and the linking browser's session holds", async () => {
    const email = uniqueEmail("oauth");
    const squatter = await createUserWithPassword({ email, password: "the squatter's password" });
    const squatterSession = await sessionCookie(squatter);
    expect(await whoIs(squatterSession)).toMatchObject({ status: 200 });

    const linked = await signInWithOAuth({ email, name: null, image: null, provider: "google", providerAccountId: `g-${randomUUID()}`, type: "oauth", providerVerifiedEmail: true });
    if (!linked.ok) throw new Error("the link was refused");

    expect(await whoIs(squatterSession)).toEqual({ status: 401 });
    expect(await whoIs(await sessionCookie(linked.user))).toMatchObject({ status: 200, email });
  });

  it("an OAuth link to an already verified account ends its other sessions too", async () => {
    const email = uniqueEmail("oauth-verified");
    const user = await createUserWithPassword({ email, password: "a long password" });
    await verifyEmail(await issueToken(user.id, "verify_email"));
    const before = await sessionCookie(user);

    const linked = await signInWithOAuth({ email, name: null, image: null, provider: "github", providerAccountId: `gh-${randomUUID()}`, type: "oauth", providerVerifiedEmail: true });
    expect(linked.ok).toBe(true);
    expect(await whoIs(before)).toEqual({ status: 401 });
  });

  it("a role change ends the session: an ADMIN_EMAILS address squatted before verification never becomes an admin session", async () => {
    const email = uniqueEmail("admin");
    env().ADMIN_EMAILS = [email];
    const squatter = await createUserWithPassword({ email, password: "the squatter's password" });
    const squatterSession = await sessionCookie(squatter);
    expect(await whoIs(squatterSession)).toMatchObject({ status: 200, role: "USER" });

    expect(await verifyEmail(await issueToken(squatter.id, "verify_email"))).toBe(true);

    expect(await whoIs(squatterSession)).toEqual({ status: 401 });
    expect(await whoIs(await sessionCookie(squatter))).toMatchObject({ status: 200, role: "ADMIN" });
  });

  it("a role change ends the session whatever changed it: the stored role, or the ADMIN_EMAILS list", async () => {
    const email = uniqueEmail("role");
    const user = await createUserWithPassword({ email, password: "a long password" });
    await verifyEmail(await issueToken(user.id, "verify_email"));

    const asUser = await sessionCookie(user);
    await db().user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
    expect(await whoIs(asUser)).toEqual({ status: 401 });

    const asAdmin = await sessionCookie(user);
    await db().user.update({ where: { id: user.id }, data: { role: "USER" } });
    expect(await whoIs(asAdmin)).toEqual({ status: 401 });

    const beforeListed = await sessionCookie(user);
    env().ADMIN_EMAILS = [email];
    expect(await whoIs(beforeListed)).toEqual({ status: 401 });
  });

  it("refuses a session token that carries no session version (issued before versions existed)", async () => {
    const user = await createUserWithPassword({ email: uniqueEmail("legacy"), password: "a long password" });
    const token = await encode({ token: { sub: user.id, uid: user.id, email: user.email, role: "USER" }, secret: String(authOptions.secret) });
    expect(await whoIs(`next-auth.session-token=${token}`)).toEqual({ status: 401 });
  });
});
