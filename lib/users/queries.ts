import type { Role } from "../generated/prisma/client";
import { db, Prisma, type Tx } from "../db";
import { adminEmails } from "../env";
import { ConflictError } from "../errors";
import { hashPassword, verifyPassword, verifyPasswordAgainstDummy } from "../auth/password";

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  emailVerified: boolean;
}

const storedFields = { id: true, email: true, name: true, role: true, emailVerified: true } as const;
type StoredUser = { id: string; email: string; name: string | null; role: Role; emailVerified: Date | null };

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
export async function verifyCredentials(emailInput: string, password: string): Promise<PublicUser | null> {
  const user = await db().user.findUnique({ where: { email: normalizeEmail(emailInput) } });
  if (!user?.passwordHash) {
    await verifyPasswordAgainstDummy(password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return toPublic(user);
}

export async function findUserByEmail(emailInput: string): Promise<PublicUser | null> {
  const user = await db().user.findUnique({ where: { email: normalizeEmail(emailInput) }, select: storedFields });
  return user && toPublic(user);
}

/** Marks the address as verified (keeps the first verification time). */
export async function markEmailVerified(userId: string, tx: Tx = db()): Promise<void> {
  await tx.user.updateMany({ where: { id: userId, emailVerified: null }, data: { emailVerified: new Date() } });
}

/** Replaces the password with an already computed hash (hash outside the transaction: it is slow). */
export async function setPasswordHash(userId: string, passwordHash: string, tx: Tx = db()): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { passwordHash } });
}

export async function getUserById(id: string): Promise<PublicUser | null> {
  const user = await db().user.findUnique({ where: { id }, select: storedFields });
  return user && toPublic(user);
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
