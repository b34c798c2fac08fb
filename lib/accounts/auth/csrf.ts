import { createHash, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { authOptions } from "./options";

// next-auth v4 guards sign-out with a double-submit CSRF token: its cookie holds `token|hash`
// (hash = sha256(token + secret)) and a POST to /api/auth/signout must carry the same token in its
// body. Reading it here lets the header's Sign out button be a plain form that posts at once, with
// or without JavaScript. The cookie is httpOnly; the token goes only into this same-origin page.

const COOKIE_NAMES = ["__Host-next-auth.csrf-token", "next-auth.csrf-token"];

/** The token in a next-auth CSRF cookie's value, when the cookie is one next-auth made with `secret`. */
export function csrfTokenFromCookie(value: string | undefined, secret: string): string | undefined {
  const [token, hash] = value?.split("|") ?? [];
  if (!token || !hash) return undefined;
  const expected = createHash("sha256").update(`${token}${secret}`).digest("hex");
  if (expected.length !== hash.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(hash))) return undefined;
  return token;
}

/**
 * The CSRF token next-auth will accept from this browser, or undefined when it has none yet (a new
 * browser session that kept only the session cookie): the sign-out form then asks next-auth for one.
 */
export async function signOutCsrfToken(): Promise<string | undefined> {
  const jar = await cookies();
  const secret = authOptions.secret ?? "";
  for (const name of COOKIE_NAMES) {
    const token = csrfTokenFromCookie(jar.get(name)?.value, secret);
    if (token) return token;
  }
  return undefined;
}
