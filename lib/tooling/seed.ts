import type { PrismaClient } from "../generated/prisma/client";
import { plansFor } from "../billing/catalog";
import { hashPassword } from "../accounts/auth/password";
import { env } from "../core/env";

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

/**
 * The demo accounts' published passwords must never reach a real database. NODE_ENV says nothing
 * about the database a shell points at, so this asks the database: one that holds any user besides
 * the demo accounts is somebody's, and is seeded only when forced (`--force`, BILLFOLD_SEED_FORCE=1).
 */
export async function assertDemoDatabase(prisma: Pick<PrismaClient, "user">, { force }: { force: boolean }): Promise<void> {
  if (force) return;
  const others = await prisma.user.count({ where: { email: { notIn: [DEMO_USER.email, DEMO_ADMIN.email] } } });
  if (others === 0) return;
  throw new SeedRefusedError(
    `Refusing to seed demo accounts (their passwords are public): the database holds ${others} ${others === 1 ? "user" : "users"} other than the demo accounts. ` +
      "If it is a development database, run again with --force (or BILLFOLD_SEED_FORCE=1).",
  );
}

/** Writes the catalog's plans into the Plan table (production too: `npm run stripe:setup` calls it). Idempotent. */
export async function seedPlans(prisma: Pick<PrismaClient, "plan">, currency = env().BILLFOLD_CURRENCY): Promise<void> {
  for (const plan of plansFor(currency)) {
    await prisma.plan.upsert({ where: { key: plan.key }, create: plan, update: plan });
  }
}

/**
 * Idempotent: safe to run on every start of a development database (see assertDemoDatabase). Never touches balances or ledger entries, and never
 * changes the role of a row that already exists (someone may have promoted or demoted it since).
 */
export async function seedDatabase(prisma: PrismaClient, options: { currency?: string; source?: NodeJS.ProcessEnv; force?: boolean } = {}): Promise<void> {
  const source = options.source ?? process.env;
  assertSeedAllowed(source);
  await assertDemoDatabase(prisma, { force: options.force ?? source.BILLFOLD_SEED_FORCE === "1" });
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
