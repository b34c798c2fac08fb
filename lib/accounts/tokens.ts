import { createHash, randomBytes } from "node:crypto";
import type { AuthTokenPurpose } from "../generated/prisma/client";
import { db, type Tx } from "../core/db";

// How long an emailed link works.
export const TOKEN_LIFETIME_MS: Record<AuthTokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000, // 24 h
  reset_password: 60 * 60 * 1000, // 1 h
};

/** SHA-256 of the token, hex. The token is 32 random bytes, so a fast hash is enough (nothing to brute-force). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token for a user and returns it; only its hash is stored. */
export async function issueToken(userId: string, purpose: AuthTokenPurpose, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db().authToken.create({
    data: { userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]) },
  });
  return token;
}

/**
 * Reads a token without spending it: its user, and whether it could still be spent now (unused and
 * unexpired). Null when no token of this purpose has this value.
 */
export async function findToken(token: string, purpose: AuthTokenPurpose, now = new Date()): Promise<{ userId: string; spendable: boolean } | null> {
  if (!token || token.length > 200) return null;
  const found = await db().authToken.findUnique({ where: { tokenHash: hashToken(token) }, select: { userId: true, purpose: true, usedAt: true, expiresAt: true } });
  if (!found || found.purpose !== purpose) return null;
  return { userId: found.userId, spendable: found.usedAt === null && found.expiresAt > now };
}

/**
 * Spends a token: returns its user id when the token exists for this purpose, is unused and
 * unexpired, and null otherwise. The conditional UPDATE makes two concurrent uses yield one winner.
 * Using a token also spends the user's other tokens of the same purpose, so an older link can't be used later.
 * `apply` runs in the same transaction, so the token is spent exactly when its effect is stored.
 */
export async function consumeToken(
  token: string,
  purpose: AuthTokenPurpose,
  apply: (tx: Tx, userId: string) => Promise<void> = async () => undefined,
  now = new Date(),
): Promise<string | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  return db().$transaction(async (tx) => {
    const spent = await tx.authToken.updateMany({
      where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (spent.count !== 1) return null;
    const { userId } = await tx.authToken.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true } });
    await tx.authToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } });
    await apply(tx, userId);
    return userId;
  });
}
