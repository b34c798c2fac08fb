// npm run db:seed: the plans and the demo accounts. Refuses a database that holds other users
// (lib/tooling/seed.ts assertDemoDatabase) unless run with --force or BILLFOLD_SEED_FORCE=1.
import { createPrismaClient } from "../lib/core/prisma";
import { DEMO_ADMIN, DEMO_USER, SeedRefusedError, seedDatabase } from "../lib/tooling/seed";

const prisma = createPrismaClient();
try {
  await seedDatabase(prisma, { force: process.argv.includes("--force") || process.env.BILLFOLD_SEED_FORCE === "1" });
} catch (error) {
  if (!(error instanceof SeedRefusedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
if (!process.exitCode) {
  console.log(`Seeded plans and demo accounts: ${DEMO_USER.email} / ${DEMO_USER.password}, ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
}
