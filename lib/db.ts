import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

export { Prisma } from "./generated/prisma/client";
export type { PrismaClient } from "./generated/prisma/client";

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

// One client per process; in development Next reloads modules, so it lives on globalThis.
declare global {
  var billfoldPrisma: PrismaClient | undefined;
}

export function db(): PrismaClient {
  globalThis.billfoldPrisma ??= createPrismaClient();
  return globalThis.billfoldPrisma;
}
