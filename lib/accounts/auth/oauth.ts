import { z } from "zod";
import { db } from "../../core/db";
import { endAllSessions, getSessionUser, normalizeEmail, type SessionUser } from "../users";

/** What to do with an OAuth sign-in, given what the database and the provider say. */
export type OAuthDecision = "sign_in_linked" | "create" | "link" | "refuse";

/**
 * The linking rule. A provider account already linked signs in as its user. Otherwise an email
 * that matches an existing user is linked only when the provider vouches for the address: linking
 * on an unverified email would hand the account to whoever typed that address at the provider.
 */
export function decideOAuthSignIn(input: { linkedUserId: string | null; existingUserId: string | null; providerVerifiedEmail: boolean }): OAuthDecision {
  if (input.linkedUserId) return "sign_in_linked";
  if (!input.existingUserId) return "create";
  return input.providerVerifiedEmail ? "link" : "refuse";
}

const googleProfileSchema = z.object({ email_verified: z.literal(true) });
export const githubEmailsSchema = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));
export type GithubEmail = z.infer<typeof githubEmailsSchema>[number];

/**
 * Whether the provider says it verified `email`. Google puts `email_verified` in the profile;
 * GitHub reports it per address in GET /user/emails. Any other provider counts as unverified.
 */
export function providerVerifiedEmail(input: { provider: string; email: string; profile: unknown; githubEmails?: GithubEmail[] }): boolean {
  const email = normalizeEmail(input.email);
  if (input.provider === "google") return googleProfileSchema.safeParse(input.profile).success;
  if (input.provider === "github") {
    const entry = input.githubEmails?.find((candidate) => normalizeEmail(candidate.email) === email);
    return entry?.primary === true && entry.verified === true;
  }
  return false;
}

/** GitHub's list of the user's addresses with their verified flags (needs the user:email scope). */
export async function fetchGithubEmails(accessToken: string): Promise<GithubEmail[]> {
  const response = await fetch("https://api.github.com/user/emails", {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/vnd.github+json", "User-Agent": "Billfold" },
  });
  if (!response.ok) return [];
  const parsed = githubEmailsSchema.safeParse(await response.json());
  return parsed.success ? parsed.data : [];
}

export type OAuthSignInResult = { ok: true; user: SessionUser } | { ok: false; error: "OAuthEmailNotVerified" };

/** Finds, links or creates the user behind an OAuth sign-in, following decideOAuthSignIn. */
export async function signInWithOAuth(input: {
  email: string;
  name: string | null;
  image: string | null;
  provider: string;
  providerAccountId: string;
  type: string;
  providerVerifiedEmail: boolean;
}): Promise<OAuthSignInResult> {
  const email = normalizeEmail(input.email);
  const key = { provider: input.provider, providerAccountId: input.providerAccountId };
  const [linked, existing] = await Promise.all([
    db().account.findUnique({ where: { provider_providerAccountId: key }, select: { userId: true } }),
    db().user.findUnique({ where: { email }, select: { id: true, emailVerified: true } }),
  ]);
  const decision = decideOAuthSignIn({ linkedUserId: linked?.userId ?? null, existingUserId: existing?.id ?? null, providerVerifiedEmail: input.providerVerifiedEmail });
  let userId: string;
  switch (decision) {
    case "refuse":
      return { ok: false, error: "OAuthEmailNotVerified" };
    case "sign_in_linked":
      userId = linked?.userId ?? "";
      break;
    case "create": {
      const created = await db().user.create({
        data: { email, name: input.name, image: input.image, emailVerified: input.providerVerifiedEmail ? new Date() : null, accounts: { create: { ...key, type: input.type } } },
        select: { id: true },
      });
      userId = created.id;
      break;
    }
    case "link": {
      const target = existing?.id ?? "";
      await db().$transaction(async (tx) => {
        await tx.account.create({ data: { userId: target, ...key, type: input.type } });
        if (!existing?.emailVerified) {
          // The address was never proven by whoever set this account's password; now its owner has
          // proven it, so that password (possibly an attacker's, set in advance) stops working.
          await tx.user.update({ where: { id: target }, data: { emailVerified: new Date(), passwordHash: null } });
        }
        // A new way into the account: every session made before it (perhaps with that password) ends.
        await endAllSessions(target, tx);
      });
      userId = target;
      break;
    }
  }
  const user = await getSessionUser(userId);
  if (!user) throw new Error(`OAuth user ${userId} vanished during sign-in`);
  return { ok: true, user };
}
