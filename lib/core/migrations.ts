import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// Applies prisma/migrations/*/migration.sql and records them in Prisma's own `_prisma_migrations`
// table, exactly as `prisma migrate deploy` would, so a connected machine's Prisma CLI sees them
// as applied. Prisma 7's schema engine cannot be downloaded here, hence this small runner.

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
  checksumMismatch: string[];
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only has to be the same for every runner of this app.
const MIGRATION_LOCK_ID = 72_707_369;

export async function readMigrationFiles(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  // Traced explicitly through outputFileTracingIncludes in next.config.js.
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      // Prisma's checksum is the SHA-256 of the file's bytes, hex-encoded.
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function appliedRows(client: pg.ClientBase): Promise<AppliedRow[] | null> {
  const exists = await client.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`,
  );
  if (!exists.rows[0]?.exists) return null;
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  return result.rows;
}

export async function migrationStatus(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = await readMigrationFiles(dir);
  const rows = (await appliedRows(client)) ?? [];
  const live = rows.filter((row) => row.rolled_back_at === null);
  const status: MigrationStatus = { applied: [], pending: [], failed: [], checksumMismatch: [] };
  for (const file of files) {
    const row = live.find((r) => r.migration_name === file.name);
    if (!row) status.pending.push(file.name);
    else if (row.finished_at === null) status.failed.push(file.name);
    else {
      status.applied.push(file.name);
      if (row.checksum !== file.checksum) status.checksumMismatch.push(file.name);
    }
  }
  return status;
}

/** Applies every pending migration, each in its own transaction. Returns the names applied. */
export async function migrate(connectionString: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const status = await migrationStatus(client, dir);
    if (status.failed.length > 0) {
      throw new Error(`Migration ${status.failed[0]} failed earlier and needs manual attention (see _prisma_migrations.logs)`);
    }
    const files = await readMigrationFiles(dir);
    const applied: string[] = [];
    for (const file of files.filter((f) => status.pending.includes(f.name))) {
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(file.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [id, file.checksum, file.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${file.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      applied.push(file.name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
