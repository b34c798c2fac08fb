import { closeSync, openSync, readSync, statSync } from "node:fs";
import pg from "pg";

// The exact SQL a request made the app run, with its parameter values, so the benchmark can time
// "the same query" bare and explain it, whether the app wrote it by hand or Prisma generated it.
// While capturing, the benchmark's own cluster logs every statement (log_statement = all, set with
// ALTER SYSTEM and a reload, which reaches the app's already-open pooled connections before their
// next command); the log records, prefixed with a marker, the backend's pid and application_name,
// are read back from the log file and paired with their `DETAIL: parameters:` lines.

const MARK = "@@bench";
/** application_name of the benchmark's own connections: their statements are never "the app's". */
export const BENCH_APPLICATION_NAME = "billfold-bench";
const RELOAD_SETTLE_MS = 300;
const LOG_SETTLE_MS = 150;

export interface CapturedStatement {
  sql: string;
  /** Text values as the server logged them ($1 first); null for SQL NULL. The server infers their types again. */
  params: Array<string | null>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readFrom(file: string, offset: number): string {
  const size = statSync(file).size;
  if (size <= offset) return "";
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8");
}

/** `$1 = 'a''b', $2 = NULL` → ["a'b", null]. */
export function parseParameters(detail: string): Array<string | null> {
  const values: Array<string | null> = [];
  for (const match of detail.matchAll(/\$(\d+) = (?:NULL|'((?:[^']|'')*)')/g)) {
    values[Number(match[1]) - 1] = match[2] === undefined ? null : match[2].replaceAll("''", "'");
  }
  return values;
}

/** The statements in a stretch of log written with MARK's prefix, except the benchmark's own. */
export function parseStatementLog(text: string): CapturedStatement[] {
  const records = text.split(new RegExp(`^(?=${MARK} )`, "m")).filter((record) => record.startsWith(MARK));
  const statements: CapturedStatement[] = [];
  const lastByPid = new Map<string, CapturedStatement>();
  for (const record of records) {
    const match = /^@@bench (\d+) (.*?)@@ ([A-Z]+):\s+([\s\S]*?)\n?$/.exec(record);
    if (!match) continue;
    const [, pid = "", application = "", level, message = ""] = match;
    if (application.startsWith(BENCH_APPLICATION_NAME)) continue;
    if (level === "LOG") {
      const statement = /^(?:execute [^:]*|statement): ([\s\S]*)$/.exec(message);
      if (!statement?.[1]) continue;
      const captured = { sql: statement[1], params: [] };
      statements.push(captured);
      lastByPid.set(pid, captured);
    } else if (level === "DETAIL" && message.startsWith("parameters: ")) {
      const last = lastByPid.get(pid);
      if (last) last.params = parseParameters(message.slice("parameters: ".length));
    }
  }
  return statements;
}

export class StatementLog {
  private constructor(
    private readonly admin: pg.Client,
    private readonly logFile: string,
  ) {}

  /** Starts logging every statement on the cluster (undo with stop()). */
  static async start(adminUrl: string, logFile: string): Promise<StatementLog> {
    const admin = new pg.Client({ connectionString: adminUrl, application_name: BENCH_APPLICATION_NAME });
    await admin.connect();
    await admin.query(`ALTER SYSTEM SET log_line_prefix = '${MARK} %p %a@@ '`);
    await admin.query("ALTER SYSTEM SET log_statement = 'all'");
    await admin.query("SELECT pg_reload_conf()");
    await sleep(RELOAD_SETTLE_MS);
    return new StatementLog(admin, logFile);
  }

  /** The statements the app ran while `run` ran. */
  async capture(run: () => Promise<void>): Promise<CapturedStatement[]> {
    const offset = statSync(this.logFile).size;
    await run();
    await sleep(LOG_SETTLE_MS);
    return parseStatementLog(readFrom(this.logFile, offset));
  }

  async stop(): Promise<void> {
    await this.admin.query("ALTER SYSTEM RESET log_statement");
    await this.admin.query("ALTER SYSTEM RESET log_line_prefix");
    await this.admin.query("SELECT pg_reload_conf()");
    await this.admin.end();
  }
}
