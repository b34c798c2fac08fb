import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { cache } from "react";
import type { PublicUser } from "../users";
import { authOptions, oneSessionRead, readSessionUser } from "./options";

export type CurrentUser = PublicUser;

/**
 * The signed-in user, re-read from the database so a deleted user or a changed role takes effect at
 * once. A session whose version was raised since it was made reads as signed out (authOptions'
 * jwt callback). Cached per request: the header, a layout and its page all ask, and one read answers
 * them, the same read the jwt callback made to check the session (readSessionUser).
 */
export const getCurrentUser = cache(
  (): Promise<CurrentUser | null> =>
    // One read of the user answers both the session check and this (a route handler has no React cache).
    oneSessionRead(async () => {
      const session = await getServerSession(authOptions);
      const id = session?.user?.id;
      const user = id ? await readSessionUser(id) : null;
      if (!user) return null;
      const { sessionVersion: _sessionVersion, ...publicUser } = user;
      return publicUser;
    }),
);

// next-auth's session cookie, `__Secure-` prefixed on https, split into `.0`, `.1`… when large.
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/**
 * Removes this browser's session cookie (for a server action). After "sign out of all devices" the
 * cookie no longer signs anyone in; removing it spares each later request the check that says so.
 */
export async function forgetSessionCookie(): Promise<void> {
  const jar = await cookies();
  for (const { name } of jar.getAll()) {
    // A browser accepts a __Secure- cookie, even an expired one, only with the Secure attribute.
    if (SESSION_COOKIE.test(name)) jar.set(name, "", { maxAge: 0, path: "/", secure: name.startsWith("__Secure-") });
  }
}
