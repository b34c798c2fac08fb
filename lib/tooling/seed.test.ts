import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createThrowawayDatabase } from "@/test/throwaway-db";
import { createPrismaClient } from "../core/db";
import { assertSeedAllowed, DEMO_ADMIN, DEMO_USER, SeedRefusedError, seedDatabase } from "./seed";

const run = promisify(execFile);
// Next's types make NODE_ENV a required key of NodeJS.ProcessEnv; a shell may well leave it unset.
const shell = (vars: Record<string, string | undefined>) => vars as NodeJS.ProcessEnv;

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
      // The suite's database holds other files' users: this test seeds it on purpose.
      await seedDatabase(prisma, { source: { NODE_ENV: "test" }, force: true });
      const admin = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN.email } });
      expect(admin).toMatchObject({ role: "ADMIN", emailVerified: expect.any(Date) });
      expect(await prisma.user.findUniqueOrThrow({ where: { email: DEMO_USER.email } })).toMatchObject({ role: "USER", emailVerified: expect.any(Date) });

      // Someone demoted the demo admin and promoted the demo user; seeding again leaves both alone.
      await prisma.user.update({ where: { email: DEMO_ADMIN.email }, data: { role: "USER" } });
      await prisma.user.update({ where: { email: DEMO_USER.email }, data: { role: "ADMIN" } });
      await seedDatabase(prisma, { source: { NODE_ENV: "test" }, force: true });
      expect((await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN.email } })).role).toBe("USER");
      expect((await prisma.user.findUniqueOrThrow({ where: { email: DEMO_USER.email } })).role).toBe("ADMIN");
    } finally {
      await prisma.user.deleteMany({ where: { email: { in: [DEMO_USER.email, DEMO_ADMIN.email] } } });
      await prisma.$disconnect();
    }
  });
});

describe("seeding a database that holds real users", () => {
  const databases: Array<{ drop(): Promise<void> }> = [];
  afterAll(() => Promise.all(databases.map((database) => database.drop())));

  async function freshDatabase() {
    const database = await createThrowawayDatabase("billfold_seed");
    databases.push(database);
    return { url: database.url, prisma: createPrismaClient(database.url) };
  }
  const demoCount = (prisma: ReturnType<typeof createPrismaClient>) => prisma.user.count({ where: { email: { in: [DEMO_USER.email, DEMO_ADMIN.email] } } });

  it("is refused whatever NODE_ENV says, writing nothing, unless forced", async () => {
    const { prisma } = await freshDatabase();
    try {
      await prisma.user.create({ data: { email: `customer-${randomUUID()}@example.com` } });
      for (const vars of [{}, { NODE_ENV: "development" }, { NODE_ENV: "test" }, { NODE_ENV: "production", BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1" }]) {
        await expect(seedDatabase(prisma, { source: shell(vars) }), JSON.stringify(vars)).rejects.toThrow(/1 user other than the demo accounts/);
      }
      expect(await demoCount(prisma)).toBe(0);
      expect(await prisma.plan.count()).toBe(0);

      await seedDatabase(prisma, { source: shell({ BILLFOLD_SEED_FORCE: "1" }) });
      expect(await demoCount(prisma)).toBe(2);
      await prisma.user.deleteMany({ where: { email: { in: [DEMO_USER.email, DEMO_ADMIN.email] } } });
      await seedDatabase(prisma, { source: shell({}), force: true });
      expect(await demoCount(prisma)).toBe(2);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("seeds an empty database, and again one that holds only the demo accounts", async () => {
    const { prisma } = await freshDatabase();
    try {
      await seedDatabase(prisma, { source: shell({}) });
      await seedDatabase(prisma, { source: shell({}) });
      expect(await demoCount(prisma)).toBe(2);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("npm run db:seed refuses it and says how to force it; --force seeds", async () => {
    const { url, prisma } = await freshDatabase();
    try {
      await prisma.user.create({ data: { email: `customer-${randomUUID()}@example.com` } });
      const tsx = path.resolve("node_modules/.bin/tsx");
      const env = shell({ PATH: process.env.PATH, DATABASE_URL: url });
      const refused = await run(tsx, ["prisma/seed.ts"], { env }).then(() => null, (error: { code: number; stderr: string }) => error);
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toMatch(/--force/);
      expect(await demoCount(prisma)).toBe(0);

      await run(tsx, ["prisma/seed.ts", "--force"], { env });
      expect(await demoCount(prisma)).toBe(2);
    } finally {
      await prisma.$disconnect();
    }
  }, 90_000); // two runs of the real script
});
