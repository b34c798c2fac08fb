import pg from "pg";
import { POLLER_MARK, type DatabaseMeter, type StatementStat } from "./database-activity";
import type { LoadProcess, LoadRequest } from "./load";
import type { BenchPostgres } from "./postgres";
import { processCpuMs } from "./process-cpu";

// One phase: one server, one concurrency, one list of requests sent by the load process, with the
// server's and PostgreSQL's CPU read from /proc around it, and (optionally) the time until the
// database shows every effect, polled every POLL_INTERVAL_MS on a connection of our own.

const POLL_INTERVAL_MS = 20;
/** After the last answer, how long the effects may take to appear before the phase counts them as not applied. */
const APPLY_TIMEOUT_MS = 30_000;
/** After the effects, how long what follows them (the receipts sent) may take before the phase stops waiting. */
const FOLLOW_UP_TIMEOUT_MS = 120_000;

export interface BenchTarget {
  /** "Billfold" or "floor". */
  name: string;
  /** Origin of the server. */
  url: string;
  databaseUrl: string;
  /** CPU ms used so far by the server's processes. */
  cpuMs(): number;
  meter: DatabaseMeter;
}

export interface AppliedPoll {
  /** A count query (without the poller mark: added here) whose value grows by `expected` when the phase's effects are all applied. */
  countSql: string;
  expected: number;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PhaseResult {
  target: string;
  label: string;
  concurrency: number;
  requests: number;
  /** Requests answered 2xx. */
  acknowledged: number;
  statusCounts: Record<string, number>;
  /** Non-2xx answers plus network errors and timeouts. */
  errors: number;
  networkErrors: number;
  errorSamples: string[];
  wallSeconds: number;
  acknowledgedPerSecond: number;
  /** Seconds from the first request until every effect was visible; null when not measured or not reached. */
  appliedSeconds: number | null;
  /** Seconds from the first request until the follow-up count was reached; null when not measured or not reached. */
  followUpSeconds: number | null;
  /** 2xx latencies, ms. */
  latencyMs: LatencySummary;
  serverCpuMs: number | null;
  /** The cluster's CPU minus the poller's own backend; null on a shared server. */
  postgresCpuMs: number | null;
  /** Filled once the database's counters have been flushed (see DatabaseMeter). */
  statements: number | null;
  commits: number | null;
  /** Per request, for callers that check each one (spend). Not written to JSON. */
  statuses: Int32Array;
  statementStats: StatementStat[];
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export class PhaseRunner {
  private readonly pending = new Map<BenchTarget, () => Promise<void>>();

  constructor(
    private readonly cluster: BenchPostgres,
    private readonly load: LoadProcess,
  ) {}

  /** Reads the counters of the target's previous phase, once they have been flushed. */
  private async finish(target: BenchTarget): Promise<void> {
    const pending = this.pending.get(target);
    this.pending.delete(target);
    if (pending) await pending();
  }

  /** Reads every phase's counters that are still pending. */
  async finishAll(): Promise<void> {
    for (const target of [...this.pending.keys()]) await this.finish(target);
  }

  /** `expectedStatus`: the answer that counts as acknowledged (default: any 2xx). */
  async run(
    target: BenchTarget,
    options: {
      label: string;
      concurrency: number;
      requests: LoadRequest[];
      appliedPoll?: AppliedPoll;
      /**
       * Work the server does after the effects, off the request path (the receipts it sends): the
       * phase waits for this count too before it reads the server's CPU, and its statements and
       * commits are the phase's.
       */
      followUpPoll?: AppliedPoll;
      expectedStatus?: number;
    },
  ): Promise<PhaseResult> {
    await this.finish(target);
    await target.meter.settle();

    const poller = new pg.Client({ connectionString: target.databaseUrl });
    await poller.connect();
    // The poller's start-up transaction is flushed now, before the baseline; from here on each of
    // its queries is one commit, subtracted from the phase's.
    const pidRow = (await poller.query<{ pid: number }>(`${POLLER_MARK} SELECT pg_backend_pid() AS pid, pg_stat_force_next_flush()`)).rows[0];
    const pollerPid = pidRow?.pid ?? 0;
    let pollerQueries = 0;
    const count = async (sql: string) => {
      pollerQueries += 1;
      const row = (await poller.query<{ n: string }>(`${POLLER_MARK} ${sql}`)).rows[0];
      return Number(row?.n ?? 0);
    };

    await target.meter.start();
    const serverCpuAtStart = target.cpuMs();
    const postgresCpuAtStart = this.cluster.cpuMs();
    const pollerCpuAtStart = processCpuMs(pollerPid);
    const baseline = options.appliedPoll ? await count(options.appliedPoll.countSql) : 0;
    const followUpBaseline = options.followUpPoll ? await count(options.followUpPoll.countSql) : 0;

    let loadFinishedAt: number | undefined;
    const loading = this.load.run(target.url, options.concurrency, options.requests);
    loading.then(
      () => (loadFinishedAt = Date.now()),
      () => (loadFinishedAt = Date.now()),
    );
    // Polls `poll`'s count until it has grown by `expected`: the time of the poll that saw it, or null once `givenUp()`.
    const reached = async (poll: AppliedPoll, baselineCount: number, givenUp: () => boolean): Promise<bigint | null> => {
      for (;;) {
        const polledAtNs = process.hrtime.bigint();
        if ((await count(poll.countSql)) - baselineCount >= poll.expected) return polledAtNs;
        if (givenUp()) return null;
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      }
    };
    const appliedAtNs = options.appliedPoll
      ? await reached(options.appliedPoll, baseline, () => loadFinishedAt !== undefined && Date.now() - loadFinishedAt > APPLY_TIMEOUT_MS)
      : null;
    const followUpDeadline = Date.now() + FOLLOW_UP_TIMEOUT_MS;
    const followUpAtNs = options.followUpPoll
      ? await reached(options.followUpPoll, followUpBaseline, () => loadFinishedAt !== undefined && Date.now() > followUpDeadline)
      : null;
    const report = await loading;
    const serverCpuMs = target.cpuMs() - serverCpuAtStart;
    const postgresCpuMs = this.cluster.cpuMs() - postgresCpuAtStart - (processCpuMs(pollerPid) - pollerCpuAtStart);
    await poller.end(); // the backend flushes its counters as it exits
    target.meter.markActive();

    const statusCounts: Record<string, number> = {};
    const okLatencies: number[] = [];
    let acknowledged = 0;
    let networkErrors = 0;
    report.statuses.forEach((status, index) => {
      const key = status === 0 ? "network error" : String(status);
      statusCounts[key] = (statusCounts[key] ?? 0) + 1;
      if (options.expectedStatus === undefined ? status >= 200 && status < 300 : status === options.expectedStatus) {
        acknowledged += 1;
        okLatencies.push(report.latenciesMs[index] ?? 0);
      }
      if (status === 0) networkErrors += 1;
    });
    okLatencies.sort((a, b) => a - b);
    const wallSeconds = Number(report.finishedNs - report.startedNs) / 1e9;
    const result: PhaseResult = {
      target: target.name,
      label: options.label,
      concurrency: options.concurrency,
      requests: options.requests.length,
      acknowledged,
      statusCounts,
      errors: options.requests.length - acknowledged,
      networkErrors,
      errorSamples: report.errorSamples,
      wallSeconds,
      acknowledgedPerSecond: acknowledged / wallSeconds,
      appliedSeconds: appliedAtNs === null ? null : Math.max(0, Number(appliedAtNs - report.startedNs) / 1e9),
      followUpSeconds: followUpAtNs === null ? null : Math.max(0, Number(followUpAtNs - report.startedNs) / 1e9),
      latencyMs: { p50: percentile(okLatencies, 50), p95: percentile(okLatencies, 95), p99: percentile(okLatencies, 99), max: okLatencies.at(-1) ?? Number.NaN },
      serverCpuMs: finite(serverCpuMs),
      postgresCpuMs: finite(postgresCpuMs),
      statements: null,
      commits: null,
      statuses: report.statuses,
      statementStats: [],
    };
    this.pending.set(target, async () => {
      await target.meter.settle();
      const activity = await target.meter.read(pollerQueries);
      result.statements = activity.statements;
      result.commits = activity.commits;
      result.statementStats = activity.statementStats;
    });
    return result;
  }
}
