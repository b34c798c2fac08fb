import "server-only";
import pg from "pg";
import type { PrismaClient } from "../generated/prisma/client";
import { createPrismaClient, databaseUrl } from "./prisma";

export { createPrismaClient, databaseUrl, Prisma, type PrismaClient, type Tx } from "./prisma";

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
