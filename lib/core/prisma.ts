// The Prisma client's construction, for the app (./db.ts) and for tools that run outside it (the
// dev and e2e servers' seeding, migrations, benchmarks): no server-only guard here, so a plain
// Node script can import it. App code imports ./db.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { env } from "./env";

export { Prisma } from "../generated/prisma/client";
export type { PrismaClient } from "../generated/prisma/client";

/** The client inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app with `npm run dev`, which provides an embedded database");
  }
  return url;
}

export function createPrismaClient(connectionString = databaseUrl()): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}
