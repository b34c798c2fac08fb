// npm run bench:spend: POST /api/usage (spend wallet credits) through a production build, with
// many concurrent spenders on a few wallets, against a plain-SQL floor doing the same debit. Some
// wallets run dry on purpose, so overdraft refusals happen under contention. Prints the table and
// the check (no overdraft, no lost update, one entry per applied debit), writes
// bench/results/spend-latest.json. Asserts nothing about speed; exits non-zero when the check fails.
//
//   --requests N     debit requests per server (default 4000)
//   --concurrency C  concurrent spenders (default 64)
//   --skip-build     reuse the build in .next
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { encode } from "next-auth/jwt";
import { DEMO_SPEND_MINOR } from "../lib/usage/demo-spend";
import { runBenchmark } from "./lib/cleanup";
import { startHarness } from "./lib/harness";
import type { LoadRequest } from "./lib/load";
import type { Check } from "./lib/money-check";
import { BENCH_NEXTAUTH_SECRET } from "./lib/next-server";
import type { BenchTarget, PhaseResult } from "./lib/phase";
import { checkSpends, makeSpendUsers, seedSpendUsers, type SentSpend, type SpendUser } from "./lib/spend-data";
import { formatNumber, renderTable } from "./lib/table";

const WALLETS = 10;
/** Of the WALLETS, this many are funded for only part of their share of the requests: they run dry. */
const DRY_WALLETS = 3;
/** The share of its requests a dry wallet can pay for. */
const DRY_WALLET_FUNDED_SHARE = 0.4;
const AMOUNT_MINOR = DEMO_SPEND_MINOR; // £0.50, what the wallet page's demo button spends
const WARM_UP_REQUESTS = 2000;
const WARM_UP_CONCURRENCY = 8;
const RESULTS_DIR = path.resolve("bench/results");

const { values: flags } = parseArgs({
  options: {
    requests: { type: "string", default: "4000" },
    concurrency: { type: "string", default: "64" },
    "skip-build": { type: "boolean", default: false },
    /** Profile the server (node --cpu-prof, into bench/results/profiles); read it with bench/lib/cpu-profile.ts. */
    "cpu-prof": { type: "boolean", default: false },
  },
});
const requestCount = Number(flags.requests);
const concurrency = Number(flags.concurrency);
if (!Number.isSafeInteger(requestCount) || requestCount < WALLETS) throw new Error(`--requests must be a whole number ≥ ${WALLETS}`);
if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new Error("--concurrency must be a positive whole number");

/** Request i spends from wallet i mod WALLETS, each with a new idempotency key. */
function planSpends(users: SpendUser[], count: number, label: string): Array<Omit<SentSpend, "status">> {
  return Array.from({ length: count }, (_, index) => {
    const user = users[index % users.length];
    if (!user) throw new Error("no users");
    return { userId: user.id, idempotencyKey: `bench-${label}-${index}-${randomUUID()}`, amountMinor: AMOUNT_MINOR };
  });
}

function body(spend: Omit<SentSpend, "status">): string {
  return JSON.stringify({ amountMinor: spend.amountMinor, description: "Spend benchmark", idempotencyKey: spend.idempotencyKey });
}

/**
 * A next-auth session cookie for the user, as the credentials sign-in would set it (lib/accounts/auth/options.ts
 * sessionClaims: the id in `uid`, and `sv`, the session version of a user whose sessions were never ended, 0).
 */
async function sessionCookie(user: SpendUser): Promise<string> {
  const token = await encode({ token: { sub: user.id, uid: user.id, role: "USER", sv: 0, email: user.email, name: "Spend bench user" }, secret: BENCH_NEXTAUTH_SECRET });
  return `next-auth.session-token=${token}`;
}

async function requestsFor(target: BenchTarget, spends: Array<Omit<SentSpend, "status">>, users: SpendUser[]): Promise<LoadRequest[]> {
  if (target.name === "floor") return spends.map((spend) => ({ path: "/usage", body: body(spend), headers: { "x-bench-user": spend.userId } }));
  const cookies = new Map(await Promise.all(users.map(async (user) => [user.id, await sessionCookie(user)] as const)));
  return spends.map((spend) => ({ path: "/api/usage", body: body(spend), headers: { cookie: cookies.get(spend.userId) ?? "" } }));
}

function count(phase: PhaseResult, status: number): number {
  return phase.statusCounts[String(status)] ?? 0;
}

async function main(): Promise<boolean> {
  const runStartedAt = new Date();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const perWallet = Math.ceil(requestCount / WALLETS);
  const fundings = Array.from({ length: WALLETS }, (_, index) =>
    index < WALLETS - DRY_WALLETS ? 2 * perWallet * AMOUNT_MINOR : Math.floor(perWallet * DRY_WALLET_FUNDED_SHARE) * AMOUNT_MINOR,
  );
  const users = makeSpendUsers(fundings);
  const [warmUpUser] = makeSpendUsers([2 * WARM_UP_REQUESTS * AMOUNT_MINOR]);
  if (!warmUpUser) throw new Error("no warm-up user");
  const harness = await startHarness({
    name: "spend",
    skipBuild: flags["skip-build"],
    cpuProfileDir: flags["cpu-prof"] ? path.join("bench", "results", "profiles") : undefined,
    async seed(billfoldDatabaseUrl, floorDatabaseUrl) {
      await Promise.all([seedSpendUsers(billfoldDatabaseUrl, [...users, warmUpUser]), seedSpendUsers(floorDatabaseUrl, [...users, warmUpUser])]);
    },
  });

  const warmUp = planSpends([warmUpUser], WARM_UP_REQUESTS, "warm-up");
  const spends = planSpends(users, requestCount, "measured");
  const results: Array<{ phase: PhaseResult; sent: SentSpend[] }> = [];
  for (const target of [harness.billfold, harness.floor]) {
    for (const [label, planned, phaseUsers, phaseConcurrency] of [
      ["warm-up", warmUp, [warmUpUser], WARM_UP_CONCURRENCY],
      [`${concurrency} concurrent`, spends, users, concurrency],
    ] as const) {
      process.stdout.write(`${target.name.padEnd(8)} ${label.padEnd(14)} ${planned.length} debits… `);
      const phase = await harness.runner.run(target, { label, concurrency: phaseConcurrency, requests: await requestsFor(target, planned, [...phaseUsers]) });
      const sent = planned.map((spend, index) => ({ ...spend, status: phase.statuses[index] ?? 0 }));
      console.log(`${formatNumber(count(phase, 201) / phase.wallSeconds)} debits/s, ${count(phase, 402)} refused, ${phase.wallSeconds.toFixed(1)} s`);
      results.push({ phase, sent });
    }
  }
  harness.load.stop();
  console.log("Waiting for PostgreSQL's statistics to be flushed…");
  await harness.runner.finishAll();
  await harness.stopServers();

  const measured = results.filter(({ phase }) => phase.label !== "warm-up");
  const debitsPerSecond = (phase: PhaseResult) => count(phase, 201) / phase.wallSeconds;
  const floorPhase = measured.find(({ phase }) => phase.target === "floor")?.phase;
  const perRequest = (total: number | null, phase: PhaseResult, digits: number) => (total === null ? "n/a" : formatNumber(total / phase.requests, digits));
  console.log(
    `\nSpend benchmark, ${runStartedAt.toISOString()}: ${requestCount} debits of ${AMOUNT_MINOR} minor units (GBP) per server, ${concurrency} concurrent spenders over ${WALLETS} wallets ` +
      `(${DRY_WALLETS} funded for ${DRY_WALLET_FUNDED_SHARE * 100}% of their share, so they run dry), each request a new idempotency key; users on the Team plan (no spend limit); ` +
      `${os.cpus().length} CPUs, Node ${process.version}.`,
  );
  console.log(
    "debits/s = 201 answers over the phase's wall time; refused = 402 insufficient_funds; latency = 201 answers; CPU, statements and commits per request (debits and refusals). " +
      "Billfold authenticates each request with its next-auth session cookie; the floor takes the user id from a header.\n",
  );
  console.log(
    renderTable(
      ["server", "conc", "debits/s", "× floor", "refused", "p50 ms", "p95 ms", "p99 ms", "srv CPU ms/req", "PG CPU ms/req", "stmts/req", "commits/req", "errors"],
      measured.map(({ phase }) => [
        phase.target,
        String(phase.concurrency),
        formatNumber(debitsPerSecond(phase)),
        phase.target === "floor" || !floorPhase ? "—" : `${formatNumber(debitsPerSecond(phase) / debitsPerSecond(floorPhase), 2)}×`,
        String(count(phase, 402)),
        formatNumber(phase.latencyMs.p50, 1),
        formatNumber(phase.latencyMs.p95, 1),
        formatNumber(phase.latencyMs.p99, 1),
        perRequest(phase.serverCpuMs, phase, 2),
        perRequest(phase.postgresCpuMs, phase, 2),
        perRequest(phase.statements, phase, 1),
        perRequest(phase.commits, phase, 2),
        String(phase.requests - count(phase, 201) - count(phase, 402)),
      ]),
    ),
  );
  for (const { phase } of measured.filter(({ phase }) => phase.requests !== count(phase, 201) + count(phase, 402))) {
    console.log(`${phase.target}: answers ${JSON.stringify(phase.statusCounts)}${phase.errorSamples.length ? `; e.g. ${phase.errorSamples.slice(0, 3).join(" | ")}` : ""}`);
  }

  const checks: Record<string, Check[]> = {};
  for (const target of [harness.billfold, harness.floor]) {
    const sent = results.filter(({ phase }) => phase.target === target.name).flatMap((result) => result.sent);
    checks[target.name] = await checkSpends(target.databaseUrl, [...users, warmUpUser], sent);
  }
  console.log("\nCheck");
  for (const [server, list] of Object.entries(checks)) {
    for (const item of list) console.log(`  ${item.ok ? "ok  " : "FAIL"} ${server.padEnd(8)} ${item.name}: ${item.detail}`);
  }
  const pass = Object.values(checks).every((list) => list.every((item) => item.ok));
  console.log(pass ? "PASS" : "FAIL");

  const json = {
    benchmark: "spend",
    startedAt: runStartedAt.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "", node: process.version, database: harness.cluster.description },
    settings: { requests: requestCount, concurrency, wallets: WALLETS, dryWallets: DRY_WALLETS, amountMinor: AMOUNT_MINOR, currency: "GBP", plan: "team (no spend limit)", perRequest: "debits and refusals" },
    phases: measured.map(({ phase }) => ({
      server: phase.target,
      concurrency: phase.concurrency,
      requests: phase.requests,
      applied: count(phase, 201),
      refused: count(phase, 402),
      errors: phase.requests - count(phase, 201) - count(phase, 402),
      wallSeconds: phase.wallSeconds,
      debitsPerSecond: debitsPerSecond(phase),
      ratioToFloor: phase.target === "floor" || !floorPhase ? null : debitsPerSecond(phase) / debitsPerSecond(floorPhase),
      latencyMs: phase.latencyMs,
      serverCpuMsPerRequest: phase.serverCpuMs === null ? null : phase.serverCpuMs / phase.requests,
      postgresCpuMsPerRequest: phase.postgresCpuMs === null ? null : phase.postgresCpuMs / phase.requests,
      statementsPerRequest: phase.statements === null ? null : phase.statements / phase.requests,
      commitsPerRequest: phase.commits === null ? null : phase.commits / phase.requests,
      statusCounts: phase.statusCounts,
    })),
    check: { pass, checks },
  };
  writeFileSync(path.join(RESULTS_DIR, "spend-latest.json"), `${JSON.stringify(json, null, 2)}\n`);
  console.log("\nWrote bench/results/spend-latest.json");
  return pass;
}

await runBenchmark(main);
