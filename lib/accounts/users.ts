import type { Role } from "../generated/prisma/client";
import { db, Prisma, type Tx } from "../core/db";
import { adminEmails } from "../core/env";
import { ConflictError } from "../core/errors";
import { hashPassword, verifyPassword, verifyPasswordAgainstDummy } from "./auth/password";

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  emailVerified: boolean;
}

/** A user as a session sees them: the public fields and the session version their JWT must carry. */
export interface SessionUser extends PublicUser {
  sessionVersion: number;
}

const storedFields = { id: true, email: true, name: true, role: true, emailVerified: true } as const;
type StoredUser = { id: string; email: string; name: string | null; role: Role; emailVerified: Date | null };
const sessionFields = { ...storedFields, sessionVersion: true } as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The role a user has right now. ADMIN_EMAILS grants ADMIN only once the address is verified, and an
 * unverified user is never ADMIN (whatever the row says): otherwise whoever signs up first with a
 * listed address, or claims someone else's, would be an admin.
 */
export function effectiveRole(user: { email: string; role: Role; emailVerified: Date | null }): Role {
  if (!user.emailVerified) return "USER";
  return adminEmails().includes(user.email) ? "ADMIN" : user.role;
}

function toPublic(user: StoredUser): PublicUser {
  return { id: user.id, email: user.email, name: user.name, role: effectiveRole(user), emailVerified: user.emailVerified !== null };
}

function toSessionUser(user: StoredUser & { sessionVersion: number }): SessionUser {
  return { ...toPublic(user), sessionVersion: user.sessionVersion };
}

/** Creates an unverified password account (role USER; ADMIN_EMAILS applies once verified). */
export async function createUserWithPassword(input: { email: string; password: string; name?: string }): Promise<PublicUser> {
  const email = normalizeEmail(input.email);
  try {
    const user = await db().user.create({
      data: { email, name: input.name ?? null, passwordHash: await hashPassword(input.password) },
      select: storedFields,
    });
    return toPublic(user);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ConflictError("email_taken", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}

/**
 * Returns the user when the password matches, null otherwise (never says which part was wrong).
 * An unknown email, or an account without a password, is checked against a dummy hash so it
 * takes as long as a wrong password: response time must not reveal which emails have accounts.
 */
export async function verifyCredentials(emailInput: string, password: string): Promise<SessionUser | null> {
  // The session version is read with the hash it is checked against, so a reset that lands after
  // this read also ends the session this sign-in makes.
  const user = await db().user.findUnique({ where: { email: normalizeEmail(emailInput) }, select: { ...sessionFields, passwordHash: true } });
  if (!user?.passwordHash) {
    await verifyPasswordAgainstDummy(password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return toSessionUser(user);
}

export async function findUserByEmail(emailInput: string): Promise<PublicUser | null> {
  const user = await db().user.findUnique({ where: { email: normalizeEmail(emailInput) }, select: storedFields });
  return user && toPublic(user);
}

// Raising a user's sessionVersion ends every session made before: each JWT carries the version it was
// issued with, and lib/accounts/auth/options.ts refuses one that differs. It is raised in the same transaction
// as whatever makes old sessions untrustworthy.
const END_SESSIONS = { sessionVersion: { increment: 1 } } as const;

/**
 * Marks the address as verified (keeps the first verification time). The first verification ends
 * every session: they were made by whoever knew the password before the address was proven, perhaps
 * someone who signed up with another person's address, and the account now counts as the owner's
 * (and as ADMIN when ADMIN_EMAILS lists the address).
 */
export async function markEmailVerified(userId: string, tx: Tx = db()): Promise<void> {
  await tx.user.updateMany({ where: { id: userId, emailVerified: null }, data: { emailVerified: new Date(), ...END_SESSIONS } });
}

/**
 * Replaces the password with an already computed hash (hash outside the transaction: it is slow), and
 * ends every session made with the old one.
 */
export async function setPasswordHash(userId: string, passwordHash: string, tx: Tx = db()): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { passwordHash, ...END_SESSIONS } });
}

/** Ends every session of the user ("sign out of all devices"). */
export async function endAllSessions(userId: string, tx: Tx = db()): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: END_SESSIONS });
}

export async function getUserById(id: string): Promise<PublicUser | null> {
  const user = await db().user.findUnique({ where: { id }, select: storedFields });
  return user && toPublic(user);
}

export async function getSessionUser(id: string): Promise<SessionUser | null> {
  const user = await db().user.findUnique({ where: { id }, select: sessionFields });
  return user && toSessionUser(user);
}

export async function listUsers(options: { take: number; cursor?: string }): Promise<PublicUser[]> {
  const users = await db().user.findMany({
    select: storedFields,
    orderBy: { createdAt: "asc" },
    take: options.take,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  return users.map(toPublic);
}
