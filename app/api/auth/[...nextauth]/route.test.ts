// First: it puts AsyncLocalStorage on globalThis, as the Next.js server does, before next/server loads.
import { callRoute } from "@/test/next-request";
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/accounts/auth/password";
import { db } from "@/lib/core/db";
import { GET, POST } from "./route";

// next-auth's credentials sign-in through the real route handler and the real next-auth: the throttle
// must hold whatever path next-auth is reached by (it reads only the first two segments) and whatever
// body type it accepts (form or JSON).

const PASSWORD = "the right password";
const APP = "http://localhost:3000";

async function userWithPassword(prefix: string) {
  const email = `${prefix}-${randomUUID()}@example.test`;
  await db().user.create({ data: { email, passwordHash: await hashPassword(PASSWORD), emailVerified: new Date() } });
  return email;
}

/** A browser's CSRF token and cookie, from GET /api/auth/csrf as next-auth hands them out. */
async function csrf(): Promise<{ token: string; cookie: string }> {
  const response = await callRoute(GET, new NextRequest(`${APP}/api/auth/csrf`), { nextauth: ["csrf"] });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  return { token: csrfToken, cookie };
}

type BodyKind = "json" | "form";

async function signIn(path: string[], kind: BodyKind, email: string, password: string) {
  const { token, cookie } = await csrf();
  const fields = { email, password, csrfToken: token, callbackUrl: "/wallet", json: "true" };
  // Next hands route handlers a NextRequest; next-auth reads its nextUrl.
  const request = new NextRequest(`${APP}/api/auth/${path.join("/")}`, {
    method: "POST",
    headers: { cookie, "content-type": kind === "json" ? "application/json" : "application/x-www-form-urlencoded" },
    body: kind === "json" ? JSON.stringify(fields) : new URLSearchParams(fields),
  });
  const response = await callRoute(POST, request, { nextauth: path });
  const sessionCookie = response.headers.getSetCookie().find((line) => line.startsWith("next-auth.session-token="));
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as unknown, sessionCookie };
}

const routes: Array<{ name: string; path: string[]; kind: BodyKind }> = [
  { name: "the form post", path: ["callback", "credentials"], kind: "form" },
  { name: "a path suffix", path: ["callback", "credentials", "x"], kind: "form" },
  { name: "a JSON body", path: ["callback", "credentials"], kind: "json" },
  { name: "a path suffix with a JSON body", path: ["callback", "credentials", "x"], kind: "json" },
];

describe.each(routes)("credentials sign-in by $name", ({ path, kind }) => {
  it("answers 10 wrong passwords, refuses the 11th with 429 and Retry-After, and gives the right one no session", async () => {
    const email = await userWithPassword("throttle-route");
    for (let attempt = 1; attempt <= 10; attempt++) {
      const wrong = await signIn(path, kind, email, "a wrong password");
      expect(wrong.status, `attempt ${attempt}`).toBe(401);
      expect(wrong.sessionCookie).toBeUndefined();
    }
    const limited = await signIn(path, kind, email, "a wrong password");
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(14 * 60);
    expect(limited.body).toMatchObject({ error: { code: "rate_limited", message: "Too many attempts. Try again in 15 minutes." } });

    const right = await signIn(path, kind, email, PASSWORD);
    expect(right.status).toBe(429);
    expect(right.sessionCookie).toBeUndefined();
  });
});

describe("credentials sign-in", () => {
  it("signs in with the right password, and a success clears the email's count", async () => {
    const email = await userWithPassword("sign-in-route");
    for (let attempt = 1; attempt <= 9; attempt++) expect((await signIn(["callback", "credentials"], "form", email, "wrong")).status).toBe(401);
    const right = await signIn(["callback", "credentials"], "json", email, PASSWORD);
    expect(right.status).toBe(200);
    expect(right.sessionCookie).toBeDefined();
    for (let attempt = 1; attempt <= 10; attempt++) expect((await signIn(["callback", "credentials"], "form", email, "wrong")).status, `attempt ${attempt}`).toBe(401);
  });
});
