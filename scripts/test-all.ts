// npm test: every check the project has, in order, ending with one line CI can read:
// "tests: N passed, N failed". Lint and typecheck count as one test each.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { z } from "zod";

const RESULTS = ".test-results";
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const vitestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numTotalTests: z.number() });
const playwrightReport = z.object({ stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }) });

let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" } });
  console.log(`=== ${label}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (result.status !== 0) failures.push(label);
  return result.status === 0;
}

function countCheck(label: string, ok: boolean) {
  if (ok) passed += 1;
  else {
    failed += 1;
    if (!failures.includes(label)) failures.push(label);
  }
}

const npx = "npx";
countCheck("lint", run("lint", npx, ["eslint", "."]));
countCheck("typecheck", run("typecheck", npx, ["tsc", "--noEmit"]));

const unitOk = run("unit and integration", npx, ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${RESULTS}/vitest.json`]);
if (existsSync(`${RESULTS}/vitest.json`)) {
  const report = vitestReport.parse(JSON.parse(readFileSync(`${RESULTS}/vitest.json`, "utf8")));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numTotalTests === 0 ? 1 : 0);
  if (!unitOk && report.numFailedTests === 0) failed += 1; // a suite that crashed before reporting a test
} else countCheck("unit and integration", false);

if (run("build", npx, ["next", "build"])) {
  const e2eOk = run("e2e", npx, ["playwright", "test"]);
  if (existsSync(`${RESULTS}/playwright.json`)) {
    const { stats } = playwrightReport.parse(JSON.parse(readFileSync(`${RESULTS}/playwright.json`, "utf8")));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    if (!e2eOk && stats.unexpected === 0) failed += 1;
  } else countCheck("e2e", false);
} else {
  countCheck("build", false);
}

if (failures.length) console.log(`\nFailed steps: ${failures.join(", ")}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);
