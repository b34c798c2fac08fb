import { createPrismaClient } from "../lib/db";
import { DEMO_ADMIN, DEMO_USER, seedDatabase } from "../lib/seed";

const prisma = createPrismaClient();
await seedDatabase(prisma);
await prisma.$disconnect();
console.log(`Seeded plans and demo accounts: ${DEMO_USER.email} / ${DEMO_USER.password}, ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
