import { defineConfig } from "prisma/config";

// The CLI is used here only for `prisma generate` and `prisma studio`; migrations are
// applied by scripts/db-migrate.ts (see README, "Offline migrations").
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/billfold" },
});
