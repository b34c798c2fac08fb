// npm run bench:admin: the admin console's reads and /wallet at scale. On its own PostgreSQL
// cluster it seeds 1,000,000 ledger entries (scripts/large-ledger.ts, as npm run seed:large does),
// starts the production build, and signs in an admin and the busiest user with minted next-auth
// session cookies. Then, one request at a time (N each, after a warm-up), it times:
//   1. the first page of GET /api/admin/entries (limit 50);
//   2. its 100th page (the cursor reached by following nextCursor 99 times);
//   3. the first page filtered by the busiest user's email;
//   4. /wallet's data for that user, GET /api/wallet/entries (getWalletView), and the /wallet page itself;
// each against the bare SQL of the same request (the exact statements and parameters the app ran,
// read from the cluster's statement log, run with `pg` one after the other) and against a floor
// (node:http + pg running those statements and answering JSON). EXPLAIN (ANALYZE, BUFFERS) of each
// statement must show an index walk: no Seq Scan on LedgerEntry and no Sort of many rows. Finally
//   5. the CSV export of all entries, streamed to nowhere, with the server's RSS sampled every 100 ms.
// Prints the tables and PASS/FAIL per target, writes bench/results/admin-latest.json; exits non-zero
// when a target or a check fails.
//
//   --entries N    ledger entries to seed (default 1,000,000)
//   --users N      users to seed (default 10,000)
//   --requests N   timed requests per scenario and server (default 200)
//   --skip-build   reuse the build in .next
import http from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { createPrismaClient } from "../lib/core/prisma";
import { seedPlans } from "../lib/tooling/seed";
import { checkLargeLedger, defaultHeavyEntries, LARGE_HEAVY_EMAIL, seedLargeLedger } from "../scripts/large-ledger";
import { startEmulator } from "@billfold/stripe-emulator";
import { onCleanup, runBenchmark } from "./lib/cleanup";
import { startFloorServer } from "./lib/floor";
import { BENCH_NEXTAUTH_SECRET, buildNextApp, startNextServer } from "./lib/next-server";
import { percentile, type LatencySummary } from "./lib/phase";
import { startBenchPostgres } from "./lib/postgres";
import { processTree, readMemory, type MemoryReading } from "./lib/process-memory";
import { BENCH_APPLICATION_NAME, StatementLog, type CapturedStatement } from "./lib/statement-log";
import { formatNumber, renderTable } from "./lib/table";

const WARM_UP_REQUESTS = 50;
const PAGE_SIZE = 50;
const PAGES_BEFORE_PAGE_100 = 99;
const TARGET_P95_MS = 100;
const TARGET_SQL_RATIO = 2;
/** The export's memory is flat when the server's RSS grows by less than this, whatever the row count. */
const EXPORT_RSS_GROWTH_LIMIT_MB = 150;
const RSS_SAMPLE_MS = 100;
/** A Sort node fed more rows than this means the query sorted the data instead of walking an index. */
const SORT_ROWS_LIMIT = 1_000;
const PLAN_LINES_SHOWN = 6;
const RESULTS_DIR = path.resolve("bench/results");
const MB = 1024 * 1024;

const { values: flags } = parseArgs({
  options: {
    entries: { type: "string", default: "1000000" },
    users: { type: "string", default: "10000" },
    requests: { type: "string", default: "200" },
    "skip-build": { type: "boolean", default: false },
  },
});
const entryCount = Number(flags.entries);
const userCount = Number(flags.users);
const requestCount = Number(flags.requests);
if (!Number.isSafeInteger(requestCount) || requestCount < 20) throw new Error("--requests must be a whole number ≥ 20");

// ── HTTP, one request at a time ────────────────────────────────────────────────────────────────────

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  body: string;
  ms: number;
  /** The response's Server-Timing steps (lib/core/api.ts ServerTiming): `query`, `handler`. */
  serverTiming: Record<string, number>;
}

function parseServerTiming(header: string | string[] | undefined): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const step of [header ?? []].flat().join(",").split(",")) {
    const match = /^\s*([\w-]+);dur=([\d.]+)/.exec(step);
    if (match?.[1] && match[2]) steps[match[1]] = Number(match[2]);
  }
  return steps;
}

function get(origin: string, requestPath: string, cookie?: string): Promise<Answer> {
  const url = new URL(requestPath, origin);
  const sentAt = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ agent, host: url.hostname, port: url.port, path: url.pathname + url.search, headers: cookie ? { cookie } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - sentAt, serverTiming: parseServerTiming(res.headers["server-timing"]) }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

interface TimedGets extends LatencySummary {
  /** From Server-Timing, when the route sends it: the data step, and the whole handler (session check included). */
  query: LatencySummary | null;
  handler: LatencySummary | null;
}

/** `count` sequential GETs, each of which must answer 200; their latencies, client-observed and as the server timed them. */
async function timeGets(origin: string, requestPath: string, count: number, cookie?: string): Promise<TimedGets> {
  const latencies: number[] = [];
  const steps: Record<"query" | "handler", number[]> = { query: [], handler: [] };
  for (let index = 0; index < count; index += 1) {
    const answer = await get(origin, requestPath, cookie);
    if (answer.status !== 200) throw new Error(`GET ${requestPath} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    latencies.push(answer.ms);
    for (const step of ["query", "handler"] as const) {
      const duration = answer.serverTiming[step];
      if (duration !== undefined) steps[step].push(duration);
    }
  }
  const stepSummary = (values: number[]) => (values.length === count ? summarize(values) : null);
  return { ...summarize(latencies), query: stepSummary(steps.query), handler: stepSummary(steps.handler) };
}

/** The statements run one after the other on one connection, `count` times; the latency of each round. */
async function timeStatements(client: pg.Client, statements: CapturedStatement[], count: number): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = performance.now();
    for (const statement of statements) await client.query(statement.sql, statement.params);
    latencies.push(performance.now() - startedAt);
  }
  return summarize(latencies);
}

// ── Plans ──────────────────────────────────────────────────────────────────────────────────────────

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  Plans?: PlanNode[];
}

interface PlanCheck {
  statement: string;
  indexes: string[];
  problems: string[];
  firstLines: string[];
}

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/** EXPLAIN (ANALYZE, BUFFERS) of one statement with its parameters: the indexes it walks, and what is wrong with it. */
async function explain(client: pg.Client, statement: CapturedStatement): Promise<PlanCheck> {
  const json = await client.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.sql}`, statement.params);
  const text = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
  const root = json.rows[0]?.["QUERY PLAN"][0]?.Plan;
  const indexes = new Set<string>();
  const problems: string[] = [];
  if (root) {
    walk(root, (node) => {
      if (node["Node Type"] === "Seq Scan" && node["Relation Name"] === "LedgerEntry") problems.push("Seq Scan on LedgerEntry");
      if (node["Index Name"]) indexes.add(node["Index Name"]);
      if (node["Node Type"] === "Sort") {
        const input = (node.Plans ?? []).reduce((sum, child) => sum + (child["Actual Rows"] ?? 0) * (child["Actual Loops"] ?? 1), 0);
        if (input > SORT_ROWS_LIMIT) problems.push(`Sort of ${formatNumber(input)} rows`);
      }
    });
  }
  if (/"LedgerEntry"/.test(statement.sql) && ![...indexes].some((name) => name.startsWith("LedgerEntry_"))) problems.push("no index scan on LedgerEntry");
  return {
    statement: statement.sql.replace(/\s+/g, " ").slice(0, 120),
    indexes: [...indexes],
    problems,
    // The whole plan when something is wrong with it, so the report shows where.
    firstLines: text.rows.slice(0, problems.length ? undefined : PLAN_LINES_SHOWN).map((row) => row["QUERY PLAN"]),
  };
}

// ── Export and memory ──────────────────────────────────────────────────────────────────────────────

interface ExportResult {
  status: number;
  bytes: number;
  /** Lines in the file, header included. */
  lines: number;
  seconds: number;
  rssBeforeBytes: number;
  rssPeakBytes: number;
  rssAfterBytes: number;
  hwmBeforeBytes: number;
  hwmAfterBytes: number;
  samples: number;
  /** The highest RSS in each quarter of the file (by bytes received): flat memory stays level, a leak climbs. */
  rssPeakByQuarterBytes: number[];
  serverCpuSeconds: number;
}

async function sampleFor(ms: number, pids: number[], into: MemoryReading[]): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    into.push(readMemory(pids));
    await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_MS));
  }
}

/** Streams the export to nowhere, counting bytes and lines, while sampling the server's memory. */
async function measureExport(origin: string, requestPath: string, cookie: string, serverPid: number, serverCpuMs: () => number): Promise<ExportResult> {
  const pids = processTree(serverPid);
  const before: MemoryReading[] = [];
  await sampleFor(1_000, pids, before);
  const during: Array<MemoryReading & { receivedBytes: number }> = [];
  let receivedBytes = 0;
  const sampler = setInterval(() => during.push({ ...readMemory(pids), receivedBytes }), RSS_SAMPLE_MS);
  const cpuAtStart = serverCpuMs();
  const startedAt = performance.now();
  const url = new URL(requestPath, origin);
  const { status, bytes, lines } = await new Promise<{ status: number; bytes: number; lines: number }>((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { cookie } }, (res) => {
      let bytes = 0;
      let lines = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        receivedBytes = bytes;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, lines }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const serverCpuSeconds = (serverCpuMs() - cpuAtStart) / 1000;
  clearInterval(sampler);
  const after: MemoryReading[] = [];
  await sampleFor(2_000, pids, after);
  const median = (readings: MemoryReading[]) => percentile(readings.map((reading) => reading.rssBytes).sort((a, b) => a - b), 50);
  return {
    status,
    bytes,
    lines,
    seconds,
    rssBeforeBytes: median(before),
    rssPeakBytes: Math.max(...during.map((reading) => reading.rssBytes), ...after.map((reading) => reading.rssBytes)),
    rssAfterBytes: median(after),
    hwmBeforeBytes: before.at(-1)?.hwmBytes ?? Number.NaN,
    hwmAfterBytes: after.at(-1)?.hwmBytes ?? Number.NaN,
    samples: before.length + during.length + after.length,
    rssPeakByQuarterBytes: [0, 1, 2, 3].map((quarter) =>
      Math.max(0, ...during.filter((reading) => Math.min(3, Math.floor((4 * reading.receivedBytes) / Math.max(bytes, 1))) === quarter).map((reading) => reading.rssBytes)),
    ),
    serverCpuSeconds,
  };
}

// ── The run ────────────────────────────────────────────────────────────────────────────────────────

interface Scenario {
  key: string;
  label: string;
  path: string;
  cookie: string;
  /** Compared with its bare SQL and the floor (the /wallet page and the reference line are not). */
  compared: boolean;
}

interface ScenarioResult {
  scenario: Scenario;
  statements: CapturedStatement[];
  app: TimedGets;
  sql: LatencySummary | null;
  floor: LatencySummary | null;
  plans: PlanCheck[];
}

/**
 * A next-auth session cookie, as the sign-in would set it (lib/accounts/auth/options.ts sessionClaims: the id
 * in `uid`, and `sv`, the session version of a user whose sessions were never ended, 0).
 */
async function sessionCookie(user: { id: string; email: string; role: "USER" | "ADMIN" }): Promise<string> {
  const token = await encode({ token: { sub: user.id, uid: user.id, role: user.role, sv: 0, email: user.email, name: user.email }, secret: BENCH_NEXTAUTH_SECRET });
  return `next-auth.session-token=${token}`;
}

/** The statements that read the data (the ledger and wallets), not the session's user lookup. */
function dataStatements(statements: CapturedStatement[]): CapturedStatement[] {
  return statements.filter((statement) => /"(LedgerEntry|Wallet)"/.test(statement.sql));
}

const ms = (value: number | undefined | null) => formatNumber(value, 1);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? "n/a" : `${formatNumber(a / b, 1)}×`);

async function main(): Promise<boolean> {
  const runStartedAt = new Date();
  const runStarted = performance.now();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logDir = path.join(os.tmpdir(), `billfold-bench-admin-${process.pid}`);
  mkdirSync(logDir, { recursive: true });
  buildNextApp({ skipBuild: flags["skip-build"], logFile: path.join(logDir, "next-build.log") });

  const cluster = await startBenchPostgres();
  console.log(`Database: ${cluster.description}`);
  if (!cluster.logFile) throw new Error("bench:admin reads the statements the app runs from its own PostgreSQL 15 cluster's log; /usr/lib/postgresql/15/bin is missing");
  const databaseUrl = await cluster.createDatabase("billfold_admin");

  const heavyEntries = defaultHeavyEntries(entryCount);
  console.log(`Seeding ${formatNumber(entryCount)} ledger entries over ${formatNumber(userCount)} users (${formatNumber(heavyEntries)} for ${LARGE_HEAVY_EMAIL})…`);
  const prisma = createPrismaClient(databaseUrl);
  await seedPlans(prisma, "GBP");
  await prisma.$disconnect();
  const seed = await seedLargeLedger(databaseUrl, { entries: entryCount, users: userCount, heavyEntries, currency: "GBP", endAt: new Date(), log: console.log });
  console.log(`Seeded in ${seed.seconds.toFixed(1)} s.`);
  const sqlClient = new pg.Client({ connectionString: databaseUrl, application_name: `${BENCH_APPLICATION_NAME}-sql` });
  await sqlClient.connect();
  onCleanup("close the bare-SQL connection", () => sqlClient.end());
  const ledgerCheck = await checkLargeLedger(sqlClient);
  console.log(`Ledger check: ${ledgerCheck.ok ? "ok" : "FAIL"} (${ledgerCheck.detail})`);

  const emulator = await startEmulator({ port: 0 });
  onCleanup("stop the Stripe emulator", () => emulator.close());
  const serverLog = path.join(logDir, "next-start.log");
  const server = await startNextServer({ databaseUrl, stripeApiPort: emulator.port, logFile: serverLog });
  console.log(`Billfold: next start at ${server.url} (log ${serverLog})`);

  const adminCookie = await sessionCookie({ ...seed.admin, role: "ADMIN" });
  const heavyCookie = await sessionCookie({ ...seed.heavyUser, role: "USER" });
  const listPath = `/api/admin/entries?limit=${PAGE_SIZE}`;

  // Page 100: follow nextCursor from the first page, as a script paging through would.
  let cursor: string | null = null;
  for (let page = 1; page <= PAGES_BEFORE_PAGE_100; page += 1) {
    const answer = await get(server.url, cursor ? `${listPath}&cursor=${encodeURIComponent(cursor)}` : listPath, adminCookie);
    if (answer.status !== 200) throw new Error(`GET ${listPath} (page ${page}) answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    cursor = (JSON.parse(answer.body) as { nextCursor: string | null }).nextCursor;
    if (!cursor) throw new Error(`the listing ended at page ${page}`);
  }
  const scenarios: Scenario[] = [
    { key: "entries-first-page", label: "entries, page 1", path: listPath, cookie: adminCookie, compared: true },
    { key: "entries-page-100", label: "entries, page 100", path: `${listPath}&cursor=${encodeURIComponent(cursor ?? "")}`, cookie: adminCookie, compared: true },
    { key: "entries-by-email", label: "entries, by email", path: `${listPath}&email=${encodeURIComponent(LARGE_HEAVY_EMAIL)}`, cookie: adminCookie, compared: true },
    { key: "wallet-entries", label: "/api/wallet/entries", path: "/api/wallet/entries", cookie: heavyCookie, compared: true },
    { key: "wallet-page", label: "/wallet page (HTML)", path: "/wallet", cookie: heavyCookie, compared: false },
    { key: "me", label: "/api/me (auth only)", path: "/api/me", cookie: heavyCookie, compared: false },
  ];

  console.log(`Warming up (${WARM_UP_REQUESTS} requests per scenario)…`);
  for (const scenario of scenarios) await timeGets(server.url, scenario.path, WARM_UP_REQUESTS, scenario.cookie);

  console.log("Capturing the statements each request runs (log_statement = all, for one request each)…");
  const statementLog = await StatementLog.start(cluster.adminUrl, cluster.logFile);
  const captured = new Map<string, CapturedStatement[]>();
  try {
    for (const scenario of scenarios.filter((each) => each.compared)) {
      const statements = await statementLog.capture(async () => {
        await get(server.url, scenario.path, scenario.cookie);
      });
      const data = dataStatements(statements);
      if (data.length === 0) throw new Error(`no ledger statement captured for ${scenario.path}: ${JSON.stringify(statements).slice(0, 500)}`);
      captured.set(scenario.key, data);
    }
  } finally {
    await statementLog.stop();
  }
  const floor = await startFloorServer({
    databaseUrl,
    script: path.join(import.meta.dirname, "lib", "query-floor-server.ts"),
    env: { BENCH_FLOOR_SCENARIOS: JSON.stringify(Object.fromEntries(captured)) },
  });
  for (const key of captured.keys()) await timeGets(floor.url, `/${key}`, WARM_UP_REQUESTS);
  for (const statements of captured.values()) await timeStatements(sqlClient, statements, WARM_UP_REQUESTS);

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    process.stdout.write(`${scenario.label.padEnd(24)} ${requestCount} requests… `);
    const statements = captured.get(scenario.key) ?? [];
    const app = await timeGets(server.url, scenario.path, requestCount, scenario.cookie);
    const sql = scenario.compared ? await timeStatements(sqlClient, statements, requestCount) : null;
    const floorLatency = scenario.compared ? await timeGets(floor.url, `/${scenario.key}`, requestCount) : null;
    const plans: PlanCheck[] = [];
    for (const statement of statements) plans.push(await explain(sqlClient, statement));
    results.push({ scenario, statements, app, sql, floor: floorLatency, plans });
    console.log(`app p95 ${ms(app.p95)} ms${sql ? `, SQL p95 ${ms(sql.p95)} ms` : ""}${floorLatency ? `, floor p95 ${ms(floorLatency.p95)} ms` : ""}`);
  }
  await floor.stop();

  console.log(`CSV export of all ${formatNumber(entryCount)} entries, RSS sampled every ${RSS_SAMPLE_MS} ms…`);
  const exported = await measureExport(server.url, "/api/admin/entries/export", adminCookie, server.pid, server.cpuMs);
  await server.stop();

  // ── Report ──
  console.log(
    `\nAdmin benchmark, ${runStartedAt.toISOString()}: ${formatNumber(entryCount)} ledger entries over ${formatNumber(userCount)} users ` +
      `(${formatNumber(seed.heavyUser.entries)} for the busiest, ${LARGE_HEAVY_EMAIL}); ${requestCount} sequential requests per line after ${WARM_UP_REQUESTS} warm-up; ` +
      `${os.cpus().length} CPUs, Node ${process.version}.`,
  );
  console.log(
    "app = GET on next start over loopback (client-observed, so it bounds server time); server = the route handler's own time, session check included, and " +
      "query = its data step (both from the response's Server-Timing); SQL = the statements the app ran for that request (from the statement log), " +
      "run one after the other on one pg connection; floor = node:http + pg running the same statements and answering JSON (no session check).\n",
  );
  console.log(
    renderTable(
      ["request", "app p50", "app p95", "app p99", "server p95", "query p50", "query p95", "SQL p50", "SQL p95", "query/SQL p50", "query/SQL p95", "floor p50", "floor p95", "app/SQL p95", "app/floor p95", "stmts", "indexes"],
      results.map(({ scenario, app, sql, floor: floorLatency, statements, plans }) => [
        scenario.label,
        ms(app.p50),
        ms(app.p95),
        ms(app.p99),
        app.handler ? ms(app.handler.p95) : "—",
        app.query ? ms(app.query.p50) : "—",
        app.query ? ms(app.query.p95) : "—",
        sql ? ms(sql.p50) : "—",
        sql ? ms(sql.p95) : "—",
        sql && app.query ? ratio(app.query.p50, sql.p50) : "—",
        sql && app.query ? ratio(app.query.p95, sql.p95) : "—",
        floorLatency ? ms(floorLatency.p50) : "—",
        floorLatency ? ms(floorLatency.p95) : "—",
        sql ? ratio(app.p95, sql.p95) : "—",
        floorLatency ? ratio(app.p95, floorLatency.p95) : "—",
        scenario.compared ? String(statements.length) : "—",
        [...new Set(plans.flatMap((plan) => plan.indexes))].join(", ") || "—",
      ]),
    ),
  );

  console.log("\nPlans (EXPLAIN (ANALYZE, BUFFERS), first lines of each statement)");
  for (const { scenario, plans } of results.filter((result) => result.scenario.compared)) {
    for (const plan of plans) {
      console.log(`  ${scenario.label}: ${plan.statement}${plan.statement.length >= 120 ? "…" : ""}`);
      for (const line of plan.firstLines) console.log(`      ${line}`);
    }
  }

  console.log(
    `\nExport: ${formatNumber(exported.lines - 1)} rows + header, ${formatNumber(exported.bytes / MB, 1)} MB in ${exported.seconds.toFixed(1)} s ` +
      `(${formatNumber((exported.lines - 1) / exported.seconds)} rows/s, server CPU ${exported.serverCpuSeconds.toFixed(1)} s); ` +
      `server RSS ${formatNumber(exported.rssBeforeBytes / MB)} MB before, peak ${formatNumber(exported.rssPeakBytes / MB)} MB ` +
      `(+${formatNumber((exported.rssPeakBytes - exported.rssBeforeBytes) / MB)} MB), ${formatNumber(exported.rssAfterBytes / MB)} MB after; ` +
      `VmHWM ${formatNumber(exported.hwmBeforeBytes / MB)} → ${formatNumber(exported.hwmAfterBytes / MB)} MB; ${exported.samples} samples; ` +
      `peak RSS in each quarter of the file: ${exported.rssPeakByQuarterBytes.map((peak) => `+${formatNumber((peak - exported.rssBeforeBytes) / MB)}`).join(", ")} MB.`,
  );

  const checks: Array<{ name: string; ok: boolean; detail: string }> = [{ name: "seeded ledger: running totals and balances", ok: ledgerCheck.ok, detail: ledgerCheck.detail }];
  // What any signed-in request costs before its own work (session decode, user lookup, Next's routing).
  // With queries under a millisecond that fixed cost, not the query, sets the end-to-end ratio to bare
  // SQL (the floor, node:http + pg with no session at all, is itself about 2× its SQL), so the 2× target
  // is checked on the data step the server times, at the median (sub-millisecond p95s inside a busy
  // server process are mostly garbage collection and scheduling), with its p95 and the end-to-end
  // figures printed beside it.
  const authOnly = results.find((result) => result.scenario.key === "me")?.app;
  for (const { scenario, app, sql, floor: floorLatency, plans } of results.filter((result) => result.scenario.compared)) {
    checks.push({
      name: `${scenario.label}: p95 < ${TARGET_P95_MS} ms`,
      ok: app.p95 < TARGET_P95_MS && (app.handler?.p95 ?? Number.POSITIVE_INFINITY) < TARGET_P95_MS,
      detail: `client-observed ${ms(app.p95)} ms, server (handler) ${ms(app.handler?.p95)} ms`,
    });
    checks.push({
      name: `${scenario.label}: the server's query p50 ≤ ${TARGET_SQL_RATIO}× bare SQL p50`,
      ok: sql !== null && app.query !== null && app.query.p50 <= TARGET_SQL_RATIO * sql.p50,
      detail:
        `${ms(app.query?.p50)} vs ${ms(sql?.p50)} ms SQL (${ratio(app.query?.p50, sql?.p50)}); at p95 ${ms(app.query?.p95)} vs ${ms(sql?.p95)} ms (${ratio(app.query?.p95, sql?.p95)}); ` +
        `end to end p95 ${ms(app.p95)} ms (${ratio(app.p95, sql?.p95)} SQL, ` +
        `${ratio(app.p95, floorLatency?.p95)} the ${ms(floorLatency?.p95)} ms floor); a signed-in no-op (/api/me) p50 ${ms(authOnly?.p50)} ms`,
    });
    const problems = plans.flatMap((plan) => plan.problems);
    checks.push({
      name: `${scenario.label}: EXPLAIN walks an index`,
      ok: problems.length === 0,
      detail: problems.length ? problems.join("; ") : [...new Set(plans.flatMap((plan) => plan.indexes))].join(", "),
    });
  }
  const rssGrowthMb = (exported.rssPeakBytes - exported.rssBeforeBytes) / MB;
  checks.push({ name: "export: 200 and every row once", ok: exported.status === 200 && exported.lines === entryCount + 1, detail: `status ${exported.status}, ${formatNumber(exported.lines)} lines for ${formatNumber(entryCount)} entries + header` });
  checks.push({ name: `export: flat memory (RSS peak − before < ${EXPORT_RSS_GROWTH_LIMIT_MB} MB)`, ok: rssGrowthMb < EXPORT_RSS_GROWTH_LIMIT_MB, detail: `+${formatNumber(rssGrowthMb)} MB` });

  console.log("\nTargets and checks");
  for (const check of checks) console.log(`  ${check.ok ? "PASS" : "FAIL"} ${check.name}: ${check.detail}`);
  const pass = checks.every((check) => check.ok);
  const totalSeconds = (performance.now() - runStarted) / 1000;
  console.log(`${pass ? "PASS" : "FAIL"} (run took ${totalSeconds.toFixed(0)} s)`);

  const json = {
    benchmark: "admin",
    startedAt: runStartedAt.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "", node: process.version, database: cluster.description },
    settings: { entries: entryCount, users: userCount, heavyEntries: seed.heavyUser.entries, requests: requestCount, warmUp: WARM_UP_REQUESTS, pageSize: PAGE_SIZE, targetP95Ms: TARGET_P95_MS, targetSqlRatio: TARGET_SQL_RATIO },
    seed: { seconds: seed.seconds, check: ledgerCheck },
    scenarios: results.map(({ scenario, app, sql, floor: floorLatency, statements, plans }) => ({
      key: scenario.key,
      label: scenario.label,
      path: scenario.path.replace(/cursor=[^&]+/, "cursor=…"),
      appMs: app,
      sqlMs: sql,
      floorMs: floorLatency,
      appToSqlP95: sql ? app.p95 / sql.p95 : null,
      queryToSqlP95: sql && app.query ? app.query.p95 / sql.p95 : null,
      appToFloorP95: floorLatency ? app.p95 / floorLatency.p95 : null,
      statements: statements.map((statement) => statement.sql.replace(/\s+/g, " ")),
      plans: plans.map(({ indexes, problems, firstLines }) => ({ indexes, problems, firstLines })),
    })),
    export: { ...exported, rows: exported.lines - 1, megabytes: exported.bytes / MB, rowsPerSecond: (exported.lines - 1) / exported.seconds, rssGrowthMb },
    checks,
    pass,
    totalSeconds,
  };
  writeFileSync(path.join(RESULTS_DIR, "admin-latest.json"), `${JSON.stringify(json, null, 2)}\n`);
  console.log("\nWrote bench/results/admin-latest.json");
  return pass;
}

await runBenchmark(main);
