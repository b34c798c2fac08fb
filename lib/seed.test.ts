import { describe, expect, it } from "vitest";
import { createPrismaClient } from "./db";
import { assertSeedAllowed, DEMO_ADMIN, DEMO_USER, SeedRefusedError, seedDatabase } from "./seed";

describe("seed", () => {
  it("refuses production unless the e2e opt-in is set", () => {
    expect(() => assertSeedAllowed({ NODE_ENV: "production" })).toThrow(SeedRefusedError);
    expect(() => assertSeedAllowed({ NODE_ENV: "production", BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "0" })).toThrow(/NODE_ENV=production/);
    expect(() => assertSeedAllowed({ NODE_ENV: "production", BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1" })).not.toThrow();
    expect(() => assertSeedAllowed({ NODE_ENV: "development" })).not.toThrow();
  });

  it("refuses before writing anything", async () => {
    const prisma = createPrismaClient();
    try {
      await prisma.user.deleteMany({ where: { email: { in: [DEMO_USER.email, DEMO_ADMIN.email] } } });
      await expect(seedDatabase(prisma, { source: { NODE_ENV: "production" } })).rejects.toBeInstanceOf(SeedRefusedError);
      expect(await prisma.user.count({ where: { email: { in: [DEMO_USER.email, DEMO_ADMIN.email] } } })).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("creates verified demo accounts and never changes the role of an existing row", async () => {
    const prisma = createPrismaClient();
    try {
      await seedDatabase(prisma, { source: { NODE_ENV: "test" } });
      const admin = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN.email } });
      expect(admin).toMatchObject({ role: "ADMIN", emailVerified: expect.any(Date) });
      expect(await prisma.user.findUniqueOrThrow({ where: { email: DEMO_USER.email } })).toMatchObject({ role: "USER", emailVerified: expect.any(Date) });

      // Someone demoted the demo admin and promoted the demo user; seeding again leaves both alone.
      await prisma.user.update({ where: { email: DEMO_ADMIN.email }, data: { role: "USER" } });
      await prisma.user.update({ where: { email: DEMO_USER.email }, data: { role: "ADMIN" } });
      await seedDatabase(prisma, { source: { NODE_ENV: "test" } });
      expect((await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN.email } })).role).toBe("USER");
      expect((await prisma.user.findUniqueOrThrow({ where: { email: DEMO_USER.email } })).role).toBe("ADMIN");
    } finally {
      await prisma.user.deleteMany({ where: { email: { in: [DEMO_USER.email, DEMO_ADMIN.email] } } });
      await prisma.$disconnect();
    }
  });
});
