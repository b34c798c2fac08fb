import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GithubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { z } from "zod";
import { env } from "../env";
import { upsertOAuthUser, verifyCredentials } from "../users/queries";

const credentialsSchema = z.object({ email: z.email(), password: z.string().min(1) });

// Local development and tests only; production refuses to start without NEXTAUTH_SECRET (lib/env.ts).
const DEVELOPMENT_SECRET = "billfold-development-secret-not-for-production";

function oauthProviders() {
  const e = env();
  const providers = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    providers.push(GithubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  }
  if (e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET) {
    providers.push(GoogleProvider({ clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET }));
  }
  return providers;
}

export function oauthProviderIds(): string[] {
  return oauthProviders().map((provider) => provider.id);
}

export const authOptions: NextAuthOptions = {
  secret: env().NEXTAUTH_SECRET ?? DEVELOPMENT_SECRET,
  // Credentials sign-in requires JWT sessions in next-auth; the JWT carries only the user id,
  // and every guard re-reads the user (and role) from the database.
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin", signOut: "/signout", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await verifyCredentials(parsed.data.email, parsed.data.password);
        return user && { id: user.id, email: user.email, name: user.name, role: user.role };
      },
    }),
    ...oauthProviders(),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (!account || account.type !== "oauth") return true;
      if (!user.email) return "/signin?error=OAuthNoEmail";
      const stored = await upsertOAuthUser({
        email: user.email,
        name: user.name ?? null,
        image: user.image ?? null,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        type: account.type,
      });
      user.id = stored.id;
      return true;
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role ?? "USER";
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user && typeof token.uid === "string") {
        session.user.id = token.uid;
        session.user.role = token.role === "ADMIN" ? "ADMIN" : "USER";
      }
      return session;
    },
  },
};
