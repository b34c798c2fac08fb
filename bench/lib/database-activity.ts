import pg from "pg";

// Statements and commits one database received during a phase: pg_stat_statements' calls (reset
// for that database before the phase) and pg_stat_database's xact_commit delta.
//
// PostgreSQL 15 keeps a backend's counters in the backend and flushes them to shared memory at
// most once a second while it is busy, and 10 s after it goes idle (PGSTAT_IDLE_INTERVAL), or when
// it exits. A server's pooled connections stay open, so a phase's commits are read only once its
// database has been quiet for FLUSH_WAIT_MS: the benchmark runs the other server's phase in the
// meantime and sleeps only for what is left. pg_stat_statements counts as each statement ends.
//
// The benchmark's own queries on that database (the "applied" poller) carry POLLER_MARK, are left
// out of the statements, and the caller subtracts their commits (one per poll).

export const POLLER_MARK = "/* bench-poller */";
const FLUSH_WAIT_MS = 11_000;

export interface StatementStat {
  query: string;
  calls: number;
  totalExecMs: number;
}

export interface DatabaseActivity {
  /** null where pg_stat_statements is not loaded (shared-server fallback). */
  statements: number | null;
  commits: number;
  statementStats: StatementStat[];
}

export class DatabaseMeter {
  private lastActiveAt = 0;
  private commitsAtStart = 0;
  private oid: number | undefined;

  constructor(
    private readonly admin: pg.Pool,
    readonly databaseName: string,
    private readonly hasStatementStats: boolean,
  ) {}

  private async databaseOid(): Promise<number> {
    if (this.oid === undefined) {
      const rows = (await this.admin.query<{ oid: number }>("SELECT oid FROM pg_database WHERE datname = $1", [this.databaseName])).rows;
      if (!rows[0]) throw new Error(`no database ${this.databaseName}`);
      this.oid = rows[0].oid;
    }
    return this.oid;
  }

  private async commits(): Promise<number> {
    const rows = (await this.admin.query<{ commits: string }>("SELECT xact_commit::text AS commits FROM pg_stat_database WHERE datid = $1", [await this.databaseOid()])).rows;
    return Number(rows[0]?.commits ?? Number.NaN);
  }

  /** Waits until the server's idle connections have flushed their counters (see above). */
  async settle(): Promise<void> {
    const waitMs = this.lastActiveAt + FLUSH_WAIT_MS - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  /** Starts counting: call after settle(). */
  async start(): Promise<void> {
    if (this.hasStatementStats) await this.admin.query("SELECT pg_stat_statements_reset(0, $1, 0)", [await this.databaseOid()]);
    this.commitsAtStart = await this.commits();
  }

  /** The phase's load is over; its counters are read by read() after settle(). */
  markActive(): void {
    this.lastActiveAt = Date.now();
  }

  /** What the database did since start(), minus `ownCommits` (the poller's), after settle(). */
  async read(ownCommits: number): Promise<DatabaseActivity> {
    const commits = (await this.commits()) - this.commitsAtStart - ownCommits;
    if (!this.hasStatementStats) return { statements: null, commits, statementStats: [] };
    const rows = (
      await this.admin.query<{ query: string; calls: string; total_exec_time: number }>(
        "SELECT query, calls::text, total_exec_time FROM pg_stat_statements WHERE dbid = $1",
        [await this.databaseOid()],
      )
    ).rows.filter((row) => !row.query.includes(POLLER_MARK));
    const statementStats = rows.map((row) => ({ query: row.query, calls: Number(row.calls), totalExecMs: row.total_exec_time }));
    return { statements: statementStats.reduce((sum, row) => sum + row.calls, 0), commits, statementStats };
  }
}
