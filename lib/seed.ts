import type { PrismaClient } from "./generated/prisma/client";
import { plansFor } from "./billing/catalog";
import { hashPassword } from "./auth/password";
import { env } from "./env";

export const DEMO_USER = { email: "demo@billfold.test", password: "billfold-demo", name: "Demo User" } as const;
export const DEMO_ADMIN = { email: "admin@billfold.test", password: "billfold-admin", name: "Demo Admin" } as const;

export class SeedRefusedError extends Error {}

/**
 * The demo accounts have published passwords, so seeding is for development only: in production
 * it refuses, unless BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS=1 (the e2e server's explicit opt-in).
 */
export function assertSeedAllowed(source: NodeJS.ProcessEnv = process.env): void {
  if (source.NODE_ENV === "production" && source.BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS !== "1") {
    throw new SeedRefusedError("Refusing to seed demo accounts with NODE_ENV=production: their passwords are public.");
  }
}

/** Writes the catalog's plans into the Plan table (production too: `npm run stripe:setup` calls it). Idempotent. */
export async function seedPlans(prisma: Pick<PrismaClient, "plan">, currency = env().BILLFOLD_CURRENCY): Promise<void> {
  for (const plan of plansFor(currency)) {
    await prisma.plan.upsert({ where: { key: plan.key }, create: plan, update: plan });
  }
}

/**
 * Idempotent: safe to run on every start. Never touches balances or ledger entries, and never
 * changes the role of a row that already exists (someone may have promoted or demoted it since).
 */
export async function seedDatabase(prisma: PrismaClient, options: { currency?: string; source?: NodeJS.ProcessEnv } = {}): Promise<void> {
  assertSeedAllowed(options.source);
  const currency = options.currency ?? env().BILLFOLD_CURRENCY;
  await seedPlans(prisma, currency);
  for (const [person, role] of [[DEMO_USER, "USER"], [DEMO_ADMIN, "ADMIN"]] as const) {
    // Demo addresses are under .test, where no mail can be read, so they are created verified.
    const user = await prisma.user.upsert({
      where: { email: person.email },
      create: { email: person.email, name: person.name, role, emailVerified: new Date(), passwordHash: await hashPassword(person.password) },
      update: {},
    });
    // Demo rows seeded before email verification existed: verify them, touching nothing else.
    await prisma.user.updateMany({ where: { id: user.id, emailVerified: null }, data: { emailVerified: new Date() } });
    await prisma.wallet.upsert({
      where: { userId_currency: { userId: user.id, currency } },
      create: { userId: user.id, currency },
      update: {},
    });
  }
}
