// npm run bench:webhooks: Billfold's Stripe webhook route against a same-work floor, black-box
// (signed HTTP in, database rows out), through a production build on a PostgreSQL 15 cluster of its
// own. Prints the table and the money check, writes JSON to bench/results/. Asserts nothing about
// speed; exits non-zero only when the money check fails. Billfold sends every receipt to an SMTP
// sink in this process (./lib/smtp-sink.ts): each phase waits for them, reports how fast they went
// out and how long after the payment, and the money check counts them.
//
//   --events N        unique events per phase (default 5000), plus 20% redeliveries
//   --concurrency L   comma-separated (default 8,64,256)
//   --skip-build      reuse the build in .next
//   --cpu-prof        profile `next start` (node --cpu-prof into bench/results/profiles) and print
//                     the top self-time functions and the top statements of pg_stat_statements
import { randomInt } from "node:crypto";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { runBenchmark } from "./lib/cleanup";
import { renderSelfTimes, renderTopStatements, selfTimes, topStatements, type SelfTime } from "./lib/cpu-profile";
import type { StatementStat } from "./lib/database-activity";
import { startHarness } from "./lib/harness";
import type { LoadRequest } from "./lib/load";
import { check, type Check } from "./lib/money-check";
import { BENCH_WEBHOOK_SECRET } from "./lib/next-server";
import { percentile, type PhaseResult } from "./lib/phase";
import { startSmtpSink } from "./lib/smtp-sink";
import { formatNumber, renderTable } from "./lib/table";
import {
  checkReceipts,
  checkTopUps,
  makePurchases,
  makeUserIds,
  paymentToReceiptMs,
  RECEIPTS_SENT_SQL,
  seedTopUps,
  TOP_UP_ENTRIES_SQL,
} from "./lib/top-up-data";
import { checkoutSessionCompletedBody, type BenchPurchase } from "./lib/top-up-events";

const USERS = 1000;
const REDELIVERY_SHARE = 0.2;
/**
 * Unmeasured deliveries per server first, so the first measured phase does not time JIT warm-up.
 * 300 were too few for next start: whichever phase ran first used about 30% more server CPU per
 * event than the same concurrency run second (1.27 against 0.94 ms).
 */
const WARM_UP_EVENTS = 2000;
const WARM_UP_CONCURRENCY = 8;
const REFERENCE_CONCURRENCY = 64;
/** Not the servers' secret: every signature made with it is refused. */
const WRONG_WEBHOOK_SECRET = "whsec_bench_wrong_secret_0123456789";
const RESULTS_DIR = path.resolve("bench/results");
const PROFILE_DIR = path.join(RESULTS_DIR, "profiles");

const { values: flags } = parseArgs({
  options: {
    events: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "8,64,256" },
    "skip-build": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
  },
});
const eventsPerPhase = Number(flags.events);
const concurrencies = flags.concurrency.split(",").map(Number);
if (!Number.isSafeInteger(eventsPerPhase) || eventsPerPhase < 1) throw new Error("--events must be a positive whole number");
if (concurrencies.some((c) => !Number.isSafeInteger(c) || c < 1)) throw new Error("--concurrency must be a list of positive whole numbers");

interface PhasePlan {
  label: string;
  concurrency: number;
  purchases: BenchPurchase[];
  /** Event bodies in sending order: each unique event once, and the redeliveries (same body, same id) at random later points. */
  deliveries: string[];
  eventIds: string[];
}

/** Each purchase's event once, in order, and REDELIVERY_SHARE of them again, each after its original at a uniformly random later point. */
function planDeliveries(label: string, concurrency: number, purchases: BenchPurchase[], appUrl: string): PhasePlan {
  const events = purchases.map((purchase) => checkoutSessionCompletedBody(purchase, appUrl));
  const after: string[][] = events.map(() => []);
  const chosen = new Set<number>();
  const redeliveries = Math.round(events.length * REDELIVERY_SHARE);
  while (chosen.size < redeliveries) chosen.add(randomInt(events.length));
  for (const index of chosen) after[randomInt(index, events.length)]?.push(events[index]?.body ?? "");
  const deliveries = events.flatMap((event, index) => [event.body, ...(after[index] ?? [])]);
  return { label, concurrency, purchases, deliveries, eventIds: events.map((event) => event.eventId) };
}

function requestsFor(plan: PhasePlan, webhookPath: string): LoadRequest[] {
  return plan.deliveries.map((body) => ({ path: webhookPath, body, signWith: BENCH_WEBHOOK_SECRET }));
}

function newestProfile(since: number): string | undefined {
  try {
    return readdirSync(PROFILE_DIR)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => path.join(PROFILE_DIR, name))
      .filter((file) => statSync(file).mtimeMs >= since)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  } catch {
    return undefined;
  }
}

function perEvent(total: number | null, phase: PhaseResult, digits: number): string {
  return total === null ? "n/a" : formatNumber(total / phase.requests, digits);
}

function appliedPerSecond(phase: PhaseResult, uniqueEvents: number): number | null {
  return phase.appliedSeconds === null || phase.appliedSeconds === 0 ? null : uniqueEvents / phase.appliedSeconds;
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

async function main(): Promise<boolean> {
  const runStartedAt = new Date();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const userIds = makeUserIds(USERS);
  const phaseSizes = [
    { label: "warm-up", concurrency: WARM_UP_CONCURRENCY, events: WARM_UP_EVENTS },
    ...concurrencies.map((c) => ({ label: `${c} concurrent`, concurrency: c, events: eventsPerPhase })),
  ];
  const purchasesByPhase = phaseSizes.map((size) => makePurchases(userIds, size.events));
  const smtpSink = await startSmtpSink();
  const harness = await startHarness({
    name: "webhooks",
    skipBuild: flags["skip-build"],
    cpuProfileDir: flags["cpu-prof"] ? PROFILE_DIR : undefined,
    smtpUrl: smtpSink.url,
    async seed(billfoldDatabaseUrl, floorDatabaseUrl) {
      const allPurchases = purchasesByPhase.flat();
      console.log(`Seeding ${USERS} users and ${allPurchases.length} pending top-ups into each database…`);
      await Promise.all([seedTopUps(billfoldDatabaseUrl, userIds, allPurchases), seedTopUps(floorDatabaseUrl, userIds, allPurchases)]);
    },
  });
  const { cluster, runner } = harness;
  const targets = [
    { target: harness.billfold, webhookPath: "/api/webhooks/stripe" },
    { target: harness.floor, webhookPath: "/webhook" },
  ];
  const plans = phaseSizes.map((size, index) => planDeliveries(size.label, size.concurrency, purchasesByPhase[index] ?? [], harness.billfold.url));
  const results: Array<{ plan: PhasePlan; phase: PhaseResult }> = [];
  for (const plan of plans) {
    for (const { target, webhookPath } of targets) {
      process.stdout.write(`${target.name.padEnd(8)} ${plan.label.padEnd(14)} ${plan.purchases.length} events + ${plan.deliveries.length - plan.purchases.length} redeliveries… `);
      const phase = await runner.run(target, {
        label: plan.label,
        concurrency: plan.concurrency,
        requests: requestsFor(plan, webhookPath),
        appliedPoll: { countSql: TOP_UP_ENTRIES_SQL, expected: plan.purchases.length },
        // Billfold's receipts, sent off the request path: the phase (its CPU, statements, commits) includes them.
        followUpPoll: target === harness.billfold ? { countSql: RECEIPTS_SENT_SQL, expected: plan.purchases.length } : undefined,
      });
      const receipts = phase.followUpSeconds === null ? "" : `, receipts sent by ${phase.followUpSeconds.toFixed(1)} s`;
      console.log(`${formatNumber(phase.acknowledgedPerSecond)} acked/s, ${phase.errors} errors, ${phase.wallSeconds.toFixed(1)} s${receipts}`);
      results.push({ plan, phase });
    }
  }
  // The reference: each server refusing a bad signature (400, no database work) at one
  // concurrency, with the first measured phase's bodies. It shows what handling a request costs on
  // each server before any of the work, i.e. the ceiling the framework sets.
  const referencePlan = plans.find((plan) => plan.label !== "warm-up");
  const referenceConcurrency = concurrencies.includes(REFERENCE_CONCURRENCY) ? REFERENCE_CONCURRENCY : (concurrencies[0] ?? REFERENCE_CONCURRENCY);
  const references: PhaseResult[] = [];
  for (const { target, webhookPath } of referencePlan ? targets : []) {
    process.stdout.write(`${target.name.padEnd(8)} bad signature, ${referenceConcurrency} concurrent… `);
    const phase = await runner.run(target, {
      label: "bad signature",
      concurrency: referenceConcurrency,
      requests: (referencePlan?.deliveries ?? []).map((body) => ({ path: webhookPath, body, signWith: WRONG_WEBHOOK_SECRET })),
      expectedStatus: 400,
    });
    console.log(`${formatNumber(phase.acknowledgedPerSecond)} refused/s, ${phase.errors} other answers`);
    references.push(phase);
  }
  harness.load.stop();
  console.log("Waiting for PostgreSQL's statistics to be flushed…");
  await runner.finishAll();
  await harness.stopServers(); // also writes the --cpu-prof profile

  // ── Table ──
  const measured = results.filter(({ plan }) => plan.label !== "warm-up");
  const receiptTimes = new Map<PhaseResult, { perSecond: number | null; p50: number; p99: number }>();
  for (const { plan, phase } of measured.filter(({ phase }) => phase.target === "Billfold")) {
    const times = await paymentToReceiptMs(harness.billfold.databaseUrl, plan.purchases.map((purchase) => purchase.purchaseId));
    const perSecond = phase.followUpSeconds ? times.length / phase.followUpSeconds : null;
    receiptTimes.set(phase, { perSecond, p50: percentile(times, 50), p99: percentile(times, 99) });
  }
  const floorOf = (concurrency: number) => measured.find(({ phase }) => phase.target === "floor" && phase.concurrency === concurrency)?.phase;
  const rows = measured.map(({ plan, phase }) => {
    const applied = appliedPerSecond(phase, plan.purchases.length);
    const floorPhase = floorOf(phase.concurrency);
    const isFloor = phase.target === "floor";
    const ackedRatio = isFloor || !floorPhase ? null : ratio(phase.acknowledgedPerSecond, floorPhase.acknowledgedPerSecond);
    const appliedRatio = isFloor || !floorPhase ? null : ratio(applied, appliedPerSecond(floorPhase, plan.purchases.length));
    return {
      plan,
      phase,
      applied,
      ackedRatio,
      appliedRatio,
      cells: [
        phase.target,
        String(phase.concurrency),
        formatNumber(phase.acknowledgedPerSecond),
        formatNumber(applied),
        isFloor ? "—" : `${formatNumber(ackedRatio, 2)}× / ${formatNumber(appliedRatio, 2)}×`,
        formatNumber(phase.latencyMs.p50, 1),
        formatNumber(phase.latencyMs.p95, 1),
        formatNumber(phase.latencyMs.p99, 1),
        perEvent(phase.serverCpuMs, phase, 2),
        perEvent(phase.postgresCpuMs, phase, 2),
        perEvent(phase.statements, phase, 1),
        perEvent(phase.commits, phase, 2),
        isFloor ? "—" : formatNumber(receiptTimes.get(phase)?.perSecond ?? null),
        isFloor ? "—" : formatNumber(receiptTimes.get(phase)?.p50 ?? null, 0),
        isFloor ? "—" : formatNumber(receiptTimes.get(phase)?.p99 ?? null, 0),
        String(phase.errors),
      ],
    };
  });
  console.log(
    `\nWebhook benchmark, ${runStartedAt.toISOString()}: ${eventsPerPhase} unique checkout.session.completed top-ups per phase for ${USERS} users, ` +
      `plus ${REDELIVERY_SHARE * 100}% redeliveries (same event id, re-signed, at a random later point), fresh purchases each phase; ` +
      `${os.cpus().length} CPUs, Node ${process.version}.`,
  );
  console.log(
    "“Per event” = per delivery, redeliveries included. acked/s = 2xx answers over the phase's wall time; applied/s = unique events over the time until the ledger held every TOPUP. " +
      "Ratio = Billfold ÷ floor (acked / applied). Latency = 2xx answers. Errors = non-2xx answers and network errors. " +
      "stmts/ev and commits/ev count every statement and commit on the database during the phase, the email worker's receipts included; " +
      "Billfold's CPU includes sending them (the phase waits for the last one). receipts/s = receipts sent over the time from the first request to the last receipt; " +
      "pay→rcpt = EmailOutbox.sentAt − Purchase.paidAt per top-up (SMTP to a sink in the benchmark process; the floor sends none).\n",
  );
  console.log(
    renderTable(
      [
        "server",
        "conc",
        "acked/s",
        "applied/s",
        "× floor",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "srv CPU ms/ev",
        "PG CPU ms/ev",
        "stmts/ev",
        "commits/ev",
        "receipts/s",
        "pay→rcpt p50 ms",
        "pay→rcpt p99 ms",
        "errors",
      ],
      rows.map((row) => row.cells),
    ),
  );
  console.log(`\nReference: the same endpoint refusing a bad signature (400 before any database work), ${referenceConcurrency} concurrent: the cost of handling a request at all.\n`);
  console.log(
    renderTable(
      ["server", "conc", "refused/s", "p50 ms", "p95 ms", "p99 ms", "srv CPU ms/req", "other answers"],
      references.map((phase) => [
        phase.target,
        String(phase.concurrency),
        formatNumber(phase.acknowledgedPerSecond),
        formatNumber(phase.latencyMs.p50, 1),
        formatNumber(phase.latencyMs.p95, 1),
        formatNumber(phase.latencyMs.p99, 1),
        perEvent(phase.serverCpuMs, phase, 2),
        String(phase.errors),
      ]),
    ),
  );
  for (const { phase } of measured.filter(({ phase }) => phase.errors > 0)) {
    console.log(`${phase.target} at ${phase.concurrency}: answers ${JSON.stringify(phase.statusCounts)}${phase.errorSamples.length ? `; e.g. ${phase.errorSamples.slice(0, 3).join(" | ")}` : ""}`);
  }

  // ── Money check ──
  const sentEventIds = plans.flatMap((plan) => plan.eventIds);
  const checks: Record<string, Check[]> = {
    Billfold: await checkTopUps(harness.billfold.databaseUrl, sentEventIds),
    floor: await checkTopUps(harness.floor.databaseUrl, sentEventIds),
  };
  checks.Billfold?.push(...checkReceipts(plans.flatMap((plan) => plan.purchases.map((purchase) => purchase.purchaseId)), smtpSink.receiptsByPurchase()));
  for (const { phase, plan } of results) {
    if (phase.appliedSeconds === null) checks[phase.target]?.push(check(`${plan.label}: every TOPUP applied within 30 s of the last answer`, false, "not reached"));
  }
  console.log("\nMoney check");
  for (const [server, list] of Object.entries(checks)) {
    for (const item of list) console.log(`  ${item.ok ? "ok  " : "FAIL"} ${server.padEnd(8)} ${item.name}: ${item.detail}`);
  }
  const pass = Object.values(checks).every((list) => list.every((item) => item.ok));
  console.log(pass ? "PASS" : "FAIL");

  // ── Profile ──
  let profile: { file: string | null; topFunctions: SelfTime[]; topStatements: StatementStat[] } | null = null;
  if (flags["cpu-prof"]) {
    const file = newestProfile(runStartedAt.getTime());
    const selfTimesOfServer = file ? selfTimes(file) : undefined;
    console.log(`\nTop 25 functions by self time in next start (${file ?? "no profile found"}):`);
    if (selfTimesOfServer) console.log(renderSelfTimes(selfTimesOfServer, 25));
    const statements = topStatements(
      results.filter(({ phase }) => phase.target === "Billfold").flatMap(({ phase }) => phase.statementStats),
      15,
    );
    console.log("\nTop 15 statements on Billfold's database by total execution time (pg_stat_statements, all Billfold phases):");
    console.log(cluster.hasStatementStats ? renderTopStatements(statements) : "n/a (no pg_stat_statements on the shared server)");
    profile = { file: file ? path.relative(process.cwd(), file) : null, topFunctions: selfTimesOfServer?.functions.slice(0, 25) ?? [], topStatements: statements };
  }

  // ── JSON ──
  const json = {
    benchmark: "webhooks",
    startedAt: runStartedAt.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "", node: process.version, database: cluster.description },
    settings: { eventsPerPhase, users: USERS, redeliveryShare: REDELIVERY_SHARE, concurrencies, warmUpEvents: WARM_UP_EVENTS, perEvent: "per delivery, redeliveries included" },
    phases: measured.map(({ plan, phase }) => ({
      server: phase.target,
      concurrency: phase.concurrency,
      uniqueEvents: plan.purchases.length,
      deliveries: phase.requests,
      acknowledged: phase.acknowledged,
      wallSeconds: phase.wallSeconds,
      acknowledgedPerSecond: phase.acknowledgedPerSecond,
      appliedSeconds: phase.appliedSeconds,
      appliedPerSecond: appliedPerSecond(phase, plan.purchases.length),
      latencyMs: phase.latencyMs,
      serverCpuMsPerEvent: phase.serverCpuMs === null ? null : phase.serverCpuMs / phase.requests,
      postgresCpuMsPerEvent: phase.postgresCpuMs === null ? null : phase.postgresCpuMs / phase.requests,
      statementsPerEvent: phase.statements === null ? null : phase.statements / phase.requests,
      commitsPerEvent: phase.commits === null ? null : phase.commits / phase.requests,
      receiptsSentSeconds: phase.followUpSeconds,
      receiptsPerSecond: receiptTimes.get(phase)?.perSecond ?? null,
      paymentToReceiptMs: receiptTimes.has(phase) ? { p50: receiptTimes.get(phase)?.p50 ?? null, p99: receiptTimes.get(phase)?.p99 ?? null } : null,
      errors: phase.errors,
      statusCounts: phase.statusCounts,
    })),
    badSignatureReference: references.map((phase) => ({
      server: phase.target,
      concurrency: phase.concurrency,
      refusedPerSecond: phase.acknowledgedPerSecond,
      latencyMs: phase.latencyMs,
      serverCpuMsPerRequest: phase.serverCpuMs === null ? null : phase.serverCpuMs / phase.requests,
      otherAnswers: phase.errors,
    })),
    ratiosToFloor: rows
      .filter((row) => row.phase.target === "Billfold")
      .map((row) => ({ concurrency: row.phase.concurrency, acknowledged: row.ackedRatio, applied: row.appliedRatio })),
    moneyCheck: { pass, checks },
    profile,
  };
  const stamp = runStartedAt.toISOString().replace(/[:.]/g, "-");
  for (const name of [`webhooks-${stamp}.json`, "webhooks-latest.json"]) writeFileSync(path.join(RESULTS_DIR, name), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nWrote bench/results/webhooks-${stamp}.json and bench/results/webhooks-latest.json`);
  return pass;
}

await runBenchmark(main);
