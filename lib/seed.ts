import type { PrismaClient } from "./generated/prisma/client";
import { plansFor } from "./billing/catalog";
import { hashPassword } from "./auth/password";
import { env } from "./env";

export const DEMO_USER = { email: "demo@billfold.test", password: "billfold-demo", name: "Demo User" } as const;
export const DEMO_ADMIN = { email: "admin@billfold.test", password: "billfold-admin", name: "Demo Admin" } as const;

/** Idempotent: safe to run on every start. Never touches balances or ledger entries. */
export async function seedDatabase(prisma: PrismaClient, currency = env().BILLFOLD_CURRENCY): Promise<void> {
  for (const { features: _features, ...plan } of plansFor(currency)) {
    await prisma.plan.upsert({ where: { key: plan.key }, create: plan, update: plan });
  }
  for (const [person, role] of [[DEMO_USER, "USER"], [DEMO_ADMIN, "ADMIN"]] as const) {
    const user = await prisma.user.upsert({
      where: { email: person.email },
      create: { email: person.email, name: person.name, role, passwordHash: await hashPassword(person.password) },
      update: { role },
    });
    await prisma.wallet.upsert({
      where: { userId_currency: { userId: user.id, currency } },
      create: { userId: user.id, currency },
      update: {},
    });
  }
}
