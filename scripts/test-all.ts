// npm test: every check the project has, in order, ending with one line CI can read:
// "tests: N passed, N failed". Lint and typecheck count as one test each.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { z } from "zod";
import { canConnect, EmbeddedPostgresUnreachableError, startEmbeddedPostgres } from "./embedded-postgres";
import { freePort } from "./free-port";
import { runPhase } from "./run-phase";

const RESULTS = ".test-results";
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const vitestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numTotalTests: z.number() });
const playwrightReport = z.object({ stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }) });

let passed = 0;
let failed = 0;
const failures: string[] = [];

async function run(label: string, command: string, args: string[]): Promise<boolean> {
  const ok = await runPhase(label, command, args, { resultsDir: RESULTS });
  if (!ok) failures.push(label);
  return ok;
}

// Tests create throwaway databases on TEST_DATABASE_ADMIN_URL (test/throwaway-db.ts). When no
// server answers there, as on a fresh laptop, start the same embedded PostgreSQL `npm run dev` uses
// (its own data directory, a free port) and point vitest and the e2e server at it.
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
let stopEmbedded: (() => Promise<void>) | undefined;
if (!(await canConnect(adminUrl))) {
  const host = new URL(adminUrl).host;
  console.log(`No PostgreSQL answers at ${host}; starting the embedded PostgreSQL (data in .data/test-postgres).`);
  const embedded = await startEmbeddedPostgres({ dataDir: ".data/test-postgres", port: await freePort() }).catch((error: unknown) => {
    if (!(error instanceof EmbeddedPostgresUnreachableError)) throw error;
    console.error(error.message);
    console.log("\ntests: 0 passed, 1 failed");
    process.exit(1);
  });
  stopEmbedded = embedded.stop;
  process.env.TEST_DATABASE_ADMIN_URL = embedded.url;
  console.log(`Tests use the embedded PostgreSQL at 127.0.0.1:${embedded.port}.`);
}

function countCheck(label: string, ok: boolean) {
  if (ok) passed += 1;
  else {
    failed += 1;
    if (!failures.includes(label)) failures.push(label);
  }
}

const npx = "npx";
countCheck("lint", await run("lint", npx, ["eslint", "."]));
countCheck("typecheck", await run("typecheck", npx, ["tsc", "--noEmit"]));

/** Runs a vitest suite and counts its tests from the JSON report. */
async function runVitest(label: string, extraArgs: string[], reportFile: string) {
  const ok = await run(label, npx, ["vitest", "run", ...extraArgs, "--reporter=default", "--reporter=json", "--reporter=./test/reporters/running-files.ts", `--outputFile.json=${reportFile}`]);
  if (existsSync(reportFile)) {
    const report = vitestReport.parse(JSON.parse(readFileSync(reportFile, "utf8")));
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numTotalTests === 0 ? 1 : 0);
    if (!ok && report.numFailedTests === 0) failed += 1; // a suite that crashed before reporting a test
  } else countCheck(label, false);
}

/** The end of a log the run kept out of its output, printed when the phase that wrote it failed. */
function printLogTail(title: string, file: string, lines = 200) {
  if (!existsSync(file)) return;
  const tail = readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines);
  console.log(`\n--- ${title} (${file}), last ${tail.length} lines:\n${tail.join("\n")}\n--- end of ${file}`);
}

await runVitest("unit and integration", [], `${RESULTS}/vitest.json`);

if (await run("build", npx, ["next", "build"])) {
  // The fault suite (test/faults/) runs the production build it has just made: it kills that server.
  await runVitest("faults", ["--config", "vitest.faults.config.ts"], `${RESULTS}/faults.json`);
  const e2eOk = await run("e2e", npx, ["playwright", "test"]);
  if (!e2eOk) printLogTail("The e2e app server's log", `${RESULTS}/e2e-server.log`);
  if (existsSync(`${RESULTS}/playwright.json`)) {
    const { stats } = playwrightReport.parse(JSON.parse(readFileSync(`${RESULTS}/playwright.json`, "utf8")));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    if (!e2eOk && stats.unexpected === 0) failed += 1;
  } else countCheck("e2e", false);
} else {
  countCheck("build", false);
}

await stopEmbedded?.();
if (failures.length) console.log(`\nFailed steps: ${failures.join(", ")}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);
