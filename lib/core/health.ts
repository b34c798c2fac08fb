import type pg from "pg";
import { pgPool } from "./db";
import { env } from "./env";
import { migrationStatus, type MigrationStatus } from "./migrations";

export interface HealthReport {
  ok: boolean;
  database: { reachable: boolean; error?: string };
  migrations: (MigrationStatus & { upToDate: boolean }) | null;
}

/** What anyone may learn: whether the app can serve. Names of migrations and errors stay private. */
export interface PublicHealth {
  status: "ok" | "unavailable";
}

// A health check that waits for a hung database (or a pool whose connections are all busy) would
// hang every load balancer probe with it; past this, the database counts as unreachable.
const CHECK_TIMEOUT_MS = 3000;

// Probes come from every load balancer and monitor, and anyone may send them: one check answers
// every request for this long, so a flood of requests costs the database one query every few seconds.
export const PUBLIC_HEALTH_CACHE_MS = 5000;

class CheckTimedOut extends Error {}

function deadline(ms: number): { expired: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimedOut()), ms);
  });
  expired.catch(() => undefined); // observed through Promise.race; no unhandled rejection when nobody races it
  return { expired, clear: () => clearTimeout(timer) };
}

/**
 * Checks the database through the app's shared pool (lib/core/db's pgPool), so a health probe never opens
 * a connection of its own: a burst of probes cannot use up the server's max_connections.
 */
export async function checkHealth(pool?: pg.Pool): Promise<HealthReport> {
  if (!pool && !env().DATABASE_URL) return { ok: false, database: { reachable: false, error: "DATABASE_URL is not set" }, migrations: null };
  const { expired, clear } = deadline(CHECK_TIMEOUT_MS);
  const connecting = (pool ?? pgPool()).connect();
  let client: pg.PoolClient | undefined;
  try {
    client = await Promise.race([connecting, expired]);
    const checked = client;
    const status = await Promise.race([checked.query("SELECT 1").then(() => migrationStatus(checked)), expired]);
    client.release();
    const upToDate = status.pending.length === 0 && status.failed.length === 0;
    return { ok: upToDate, database: { reachable: true }, migrations: { ...status, upToDate } };
  } catch {
    // A connection that failed or outlasted the check is closed rather than handed to the next
    // caller; one that arrives after the deadline goes back to the pool.
    if (client) client.release(true);
    else connecting.then((late) => late.release(), () => undefined);
    // The driver's message can include host names; report the fact, not the detail.
    return { ok: false, database: { reachable: false, error: "database unreachable" }, migrations: null };
  } finally {
    clear();
  }
}

let publicCheck: { startedAt: number; answer: Promise<PublicHealth> } | undefined;

/**
 * The public health answer, from one shared check at most every PUBLIC_HEALTH_CACHE_MS: requests that
 * arrive while a check runs, or soon after, get its answer.
 */
export function publicHealth(now = Date.now()): Promise<PublicHealth> {
  if (!publicCheck || now - publicCheck.startedAt >= PUBLIC_HEALTH_CACHE_MS) {
    publicCheck = { startedAt: now, answer: checkHealth().then((report) => ({ status: report.ok ? "ok" : "unavailable" })) };
  }
  return publicCheck.answer;
}
