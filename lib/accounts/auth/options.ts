import { AsyncLocalStorage } from "node:async_hooks";
import type { NextAuthOptions, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import GithubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { cache } from "react";
import { z } from "zod";
import { env } from "../../core/env";
import { oauthStandInAllowed } from "../../core/production-guards";
import { clearAttempts, emailKey } from "../throttle";
import { getSessionUser, verifyCredentials, type SessionUser } from "../users";
import { fetchGithubEmails, providerVerifiedEmail, signInWithOAuth } from "./oauth";
import { safeRedirectPath } from "./redirect";
import { decodeSessionToken, encodeSessionToken } from "./session-token";
import { throttleSignIn } from "./sign-in-throttle";

/** next-auth hands authorize() the request's headers as a plain object. */
function requestHeaders(raw: Record<string, unknown> | undefined): Headers {
  return new Headers(Object.entries(raw ?? {}).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : [])));
}

export const credentialsSchema = z.object({ email: z.email(), password: z.string().min(1) });

/**
 * What a session's JWT says about the user who just signed in: who, their role, and their session
 * version then. Both sign-in paths hand over the version they read (authorize, callbacks.signIn); a
 * missing one makes a token that isSessionCurrent refuses.
 */
export function sessionClaims(user: User): Pick<JWT, "uid" | "role" | "sv"> {
  return { uid: user.id, role: user.role ?? "USER", sv: user.sessionVersion };
}

/** The reads of one getCurrentUser call (oneSessionRead), by user id. */
const sessionReads = new AsyncLocalStorage<Map<string, Promise<SessionUser | null>>>();

/**
 * The session's user, read once per server render: next-auth's jwt callback (isSessionCurrent) and
 * getCurrentUser both need it, and every signed-in page asks both. Outside a render (route handlers,
 * next-auth's own routes) React's cache keeps nothing, so inside oneSessionRead the first read
 * answers both instead; anywhere else each call reads.
 */
export const readSessionUser = cache((id: string): Promise<SessionUser | null> => {
  const reads = sessionReads.getStore();
  if (!reads) return getSessionUser(id);
  const read = reads.get(id) ?? getSessionUser(id);
  reads.set(id, read);
  return read;
});

/**
 * Runs `work` (a session check) with one read of each user it asks about: the jwt callback's check
 * and the caller's read of the same user see the same row, so a route handler's guard costs one query.
 */
export function oneSessionRead<T>(work: () => Promise<T>): Promise<T> {
  return sessionReads.run(new Map(), work);
}

/**
 * Whether a session's JWT still speaks for its user: the user exists, the session version has not been
 * raised since it was issued (a password reset, the first verification, an OAuth link, "sign out of all
 * devices"), and the role is the one it was issued with. A token without a version (issued before
 * versions existed) is refused.
 */
export async function isSessionCurrent(token: JWT): Promise<boolean> {
  if (typeof token.uid !== "string" || typeof token.sv !== "number") return false;
  const user = await readSessionUser(token.uid);
  return user !== null && user.sessionVersion === token.sv && user.role === token.role;
}

// Local development and tests only; production refuses to start without NEXTAUTH_SECRET (lib/core/env.ts).
const DEVELOPMENT_SECRET = "billfold-development-secret-not-for-production";

function oauthProviders() {
  const e = env();
  const providers = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    providers.push(GithubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  }
  if (e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET) {
    // The e2e server's stand-in for Google (scripts/oauth-stand-in.ts), never in real production.
    const standIn = oauthStandInAllowed(e) ? e.GOOGLE_STAND_IN_ISSUER : undefined;
    const endpoints = standIn ? { wellKnown: new URL("/.well-known/openid-configuration", standIn).toString() } : {};
    providers.push(GoogleProvider({ clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET, ...endpoints }));
  }
  return providers;
}

export function oauthProviderIds(): string[] {
  return oauthProviders().map((provider) => provider.id);
}

let providers: NextAuthOptions["providers"] | undefined;

export const authOptions: NextAuthOptions = {
  // Read when next-auth asks, not when this module loads: importing the accounts module must not fix
  // the environment before a test (or a script) has set it.
  get secret() {
    return env().NEXTAUTH_SECRET ?? DEVELOPMENT_SECRET;
  },
  // Credentials sign-in requires JWT sessions in next-auth. The JWT carries the user id and session
  // version; every read of the session checks the version (callbacks.jwt), and every guard re-reads
  // the user (and role) from the database.
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  // next-auth's token format, with the key it derives from the secret kept instead of derived again on every read (./session-token.ts).
  jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
  pages: { signIn: "/signin", signOut: "/signout", error: "/signin" },
  // Built on first use, not when this module loads (the OAuth providers read the environment).
  get providers() {
    return (providers ??= [
        CredentialsProvider({
          name: "Email and password",
          credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
          async authorize(raw, request) {
            const parsed = credentialsSchema.safeParse(raw);
            // Counted before the password is checked; over budget, the route answers 429 (lib/accounts/auth/sign-in-throttle.ts).
            await throttleSignIn(parsed.success ? parsed.data.email : null, requestHeaders(request.headers));
            if (!parsed.success) return null;
            const user = await verifyCredentials(parsed.data.email, parsed.data.password);
            if (!user) return null;
            // The budget counts failures: a right password wipes the email's count.
            await clearAttempts("signInEmail", emailKey(user.email));
            return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
          },
        }),
      ...oauthProviders(),
    ]);
  },
  callbacks: {
    async signIn({ user, account, profile }) {
      if (!account || account.type !== "oauth") return true;
      if (!user.email) return "/signin?error=OAuthNoEmail";
      const githubEmails = account.provider === "github" && account.access_token ? await fetchGithubEmails(account.access_token) : undefined;
      const result = await signInWithOAuth({
        email: user.email,
        name: user.name ?? null,
        image: user.image ?? null,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        type: account.type,
        providerVerifiedEmail: providerVerifiedEmail({ provider: account.provider, email: user.email, profile, githubEmails }),
      });
      if (!result.ok) return `/signin?error=${result.error}`;
      user.id = result.user.id;
      user.role = result.user.role;
      user.sessionVersion = result.user.sessionVersion;
      return true;
    },
    // Every post-sign-in and post-sign-out target passes the same origin check as callbackUrl on our pages.
    redirect({ url, baseUrl }) {
      return new URL(safeRedirectPath(url, "/wallet"), `${baseUrl}/`).toString();
    },
    // Runs at sign-in (with `user`) and on every read of the session: getServerSession and
    // /api/auth/session alike. A token that no longer speaks for its user becomes an empty one, which
    // next-auth writes back over the cookie where it can: that browser is signed out.
    async jwt({ token, user }) {
      if (user) return { ...token, ...sessionClaims(user) };
      return (await isSessionCurrent(token)) ? token : {};
    },
    async session({ session, token }) {
      if (typeof token.uid !== "string") return { expires: session.expires };
      if (session.user) {
        session.user.id = token.uid;
        session.user.role = token.role === "ADMIN" ? "ADMIN" : "USER";
      }
      return session;
    },
  },
};
