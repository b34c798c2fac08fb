import type { Role } from "../generated/prisma/client";
import { db, Prisma } from "../db";
import { adminEmails } from "../env";
import { ConflictError } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

const publicFields = { id: true, email: true, name: true, role: true } as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function roleForEmail(email: string, role: Role = "USER"): Role {
  return adminEmails().includes(email) ? "ADMIN" : role;
}

export async function createUserWithPassword(input: { email: string; password: string; name?: string }): Promise<PublicUser> {
  const email = normalizeEmail(input.email);
  try {
    return await db().user.create({
      data: { email, name: input.name ?? null, passwordHash: await hashPassword(input.password), role: roleForEmail(email) },
      select: publicFields,
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ConflictError("email_taken", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}

/** Returns the user when the password matches, null otherwise (never says which part was wrong). */
export async function verifyCredentials(emailInput: string, password: string): Promise<PublicUser | null> {
  const user = await db().user.findUnique({ where: { email: normalizeEmail(emailInput) } });
  if (!user?.passwordHash) return null;
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, name: user.name, role: roleForEmail(user.email, user.role) };
}

/** Finds or creates the user behind an OAuth sign-in and links the provider account. */
export async function upsertOAuthUser(input: {
  email: string;
  name: string | null;
  image: string | null;
  provider: string;
  providerAccountId: string;
  type: string;
}): Promise<PublicUser> {
  const email = normalizeEmail(input.email);
  const user = await db().user.upsert({
    where: { email },
    create: { email, name: input.name, image: input.image, role: roleForEmail(email), emailVerified: new Date() },
    update: {},
    select: publicFields,
  });
  await db().account.upsert({
    where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
    create: { userId: user.id, provider: input.provider, providerAccountId: input.providerAccountId, type: input.type },
    update: {},
  });
  return user;
}

export async function getUserById(id: string): Promise<PublicUser | null> {
  const user = await db().user.findUnique({ where: { id }, select: publicFields });
  return user && { ...user, role: roleForEmail(user.email, user.role) };
}

export async function listUsers(options: { take: number; cursor?: string }): Promise<PublicUser[]> {
  return db().user.findMany({
    select: publicFields,
    orderBy: { createdAt: "asc" },
    take: options.take,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
}
