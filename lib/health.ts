import pg from "pg";
import { env } from "./env";
import { migrationStatus, type MigrationStatus } from "./migrations";

export interface HealthReport {
  ok: boolean;
  database: { reachable: boolean; error?: string };
  migrations: (MigrationStatus & { upToDate: boolean }) | null;
}

/** Checks the database with a short-lived connection, so a broken pool can't hide an outage. */
export async function checkHealth(connectionString = env().DATABASE_URL): Promise<HealthReport> {
  if (!connectionString) return { ok: false, database: { reachable: false, error: "DATABASE_URL is not set" }, migrations: null };
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    const status = await migrationStatus(client);
    const upToDate = status.pending.length === 0 && status.failed.length === 0;
    return { ok: upToDate, database: { reachable: true }, migrations: { ...status, upToDate } };
  } catch {
    // The driver's message can include host names; report the fact, not the detail.
    return { ok: false, database: { reachable: false, error: "database unreachable" }, migrations: null };
  } finally {
    await client.end().catch(() => undefined);
  }
}
