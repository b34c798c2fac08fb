import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
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

// One client per process; in development Next reloads modules, so it lives on globalThis.
declare global {
  var billfoldPrisma: PrismaClient | undefined;
}

export function db(): PrismaClient {
  globalThis.billfoldPrisma ??= createPrismaClient();
  return globalThis.billfoldPrisma;
}

declare global {
  var billfoldPgPool: pg.Pool | undefined;
}

/**
 * Plain `pg` connections for the hot paths that Prisma's per-query and per-transaction overhead
 * would slow down (the webhook fast path). Everything else goes through db().
 */
export function pgPool(): pg.Pool {
  if (!globalThis.billfoldPgPool) {
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: 10 });
    // An idle connection the server drops (a restart, pg_terminate_backend) must not crash the process.
    pool.on("error", () => undefined);
    globalThis.billfoldPgPool = pool;
  }
  return globalThis.billfoldPgPool;
}

/** The SQLSTATE of an error from `pg` (e.g. 23505, a unique violation); undefined for anything else. */
export function sqlStateOf(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}
