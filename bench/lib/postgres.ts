import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate } from "../../lib/core/migrations";
import { freePort } from "../../scripts/free-port";
import { onCleanup, onExitSync } from "./cleanup";
import { processTreeCpuMs } from "./process-cpu";

// The benchmark's database server. Preferably a PostgreSQL 15 cluster of its own, started here and
// deleted at the end, so that pg_stat_statements can be loaded (statements per event) and the
// postmaster's CPU (its live backends and, through cutime/cstime, the exited ones) belongs to this
// run alone. Settings are PostgreSQL's defaults, fsync on. Without the binaries it falls back to
// throwaway databases on TEST_DATABASE_ADMIN_URL, where statements and Postgres CPU are n/a.

const PG_BIN = "/usr/lib/postgresql/15/bin";
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface BenchPostgres {
  /** What the figures were measured on, for the report. */
  description: string;
  /** The `postgres` database, as a superuser: statistics views and the extension live here. */
  adminUrl: string;
  /** True when pg_stat_statements is loaded (own cluster only). */
  hasStatementStats: boolean;
  /** The server's log (own cluster only): bench/lib/statement-log.ts reads the statements the app ran from it. */
  logFile?: string;
  /** CPU ms used so far by the whole cluster (postmaster, backends, background workers); NaN on a shared server. */
  cpuMs(): number;
  /** Creates a database with the project's migrations applied; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function isLocal(url: string): boolean {
  return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(new URL(url).hostname);
}

async function createMigratedDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return url.toString();
}

/** PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function waitUntilAccepting(url: string, postmaster: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (postmaster.exitCode !== null) throw new Error(`PostgreSQL exited at start-up:\n${readFileSync(logFile, "utf8")}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections in time: ${String(error)}\n${readFileSync(logFile, "utf8")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function startOwnCluster(): Promise<BenchPostgres> {
  const directory = mkdtempSync(path.join(tmpdir(), "billfold-bench-pg-"));
  const removeDirectory = () => rmSync(directory, { recursive: true, force: true });
  onExitSync(removeDirectory);
  const user = postgresUser();
  if (user) chownSync(directory, user.uid, user.gid);
  const dataDir = path.join(directory, "data");
  const logFile = path.join(directory, "postgres.log");
  const asPostgres = { ...(user ?? {}), cwd: directory };

  // --no-sync only skips initdb's own fsync of the fresh files; the server itself runs with fsync on.
  execFileSync(path.join(PG_BIN, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"], {
    ...asPostgres,
    stdio: "pipe",
  });
  const port = await freePort();
  const logFd = openSync(logFile, "a");
  const postmaster = spawn(
    path.join(PG_BIN, "postgres"),
    ["-D", dataDir, "-p", String(port), "-k", directory, "-c", "listen_addresses=127.0.0.1", "-c", "shared_preload_libraries=pg_stat_statements"],
    { ...asPostgres, stdio: ["ignore", logFd, logFd] },
  );
  closeSync(logFd);
  const postmasterPid = postmaster.pid;
  if (postmasterPid === undefined) throw new Error("could not start PostgreSQL");
  onExitSync(() => {
    if (postmaster.exitCode === null) process.kill(postmasterPid, "SIGKILL");
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (postmaster.exitCode === null && postmaster.signalCode === null) {
        postmaster.kill("SIGINT"); // fast shutdown: roll back open transactions, then exit
        if (!(await waitForExit(postmaster, STOP_TIMEOUT_MS))) {
          postmaster.kill("SIGKILL");
          await waitForExit(postmaster, STOP_TIMEOUT_MS);
        }
      }
      removeDirectory();
    })();
    return stopped;
  };
  onCleanup("stop the benchmark's PostgreSQL cluster", stop);

  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilAccepting(adminUrl, postmaster, logFile);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "?";
  await admin.query("CREATE EXTENSION pg_stat_statements");
  await admin.end();

  return {
    description: `own PostgreSQL ${version} cluster (defaults, fsync on, pg_stat_statements) on 127.0.0.1:${port}, data in ${directory}`,
    adminUrl,
    hasStatementStats: true,
    logFile,
    cpuMs: () => processTreeCpuMs(postmasterPid),
    createDatabase: (name) => createMigratedDatabase(adminUrl, name),
    stop,
  };
}

async function throwawayDatabasesOnSharedServer(): Promise<BenchPostgres> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  if (!isLocal(adminUrl)) throw new Error(`Refusing to benchmark on non-local host ${new URL(adminUrl).hostname}`);
  const created: string[] = [];
  const suffix = `${Date.now().toString(36)}_${process.pid}`;
  const stop = async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (const name of created.splice(0)) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
  onCleanup("drop the benchmark's databases", stop);
  return {
    description: `throwaway databases on the shared server ${new URL(adminUrl).host} (no ${PG_BIN}: statements and Postgres CPU n/a)`,
    adminUrl,
    hasStatementStats: false,
    cpuMs: () => Number.NaN,
    async createDatabase(name) {
      const unique = `${name}_${suffix}`;
      created.push(unique);
      return createMigratedDatabase(adminUrl, unique);
    },
    stop,
  };
}

/** The benchmark's own PostgreSQL 15 cluster, or throwaway databases on the shared server when the binaries are missing. */
export function startBenchPostgres(): Promise<BenchPostgres> {
  return existsSync(path.join(PG_BIN, "postgres")) ? startOwnCluster() : throwawayDatabasesOnSharedServer();
}
