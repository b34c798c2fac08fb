// Vitest setup file: the app's JSON log lines (lib/core/log.ts) stay out of the run's output, so it shows
// test names and failures. Every line goes to .test-results/app.log; info lines go nowhere else, and
// warn and error lines are held per test and printed only under a test that fails. Other console
// output (a test's own console.log) passes through unchanged, and production and dev logging are untouched.
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, expect } from "vitest";

const APP_LOG = path.resolve(".test-results/app.log");
mkdirSync(path.dirname(APP_LOG), { recursive: true });

let held: string[] = [];

function isAppLogLine(args: unknown[]): args is [string] {
  return args.length === 1 && typeof args[0] === "string" && args[0].startsWith('{"level":"');
}

for (const method of ["log", "warn", "error"] as const) {
  const write = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    if (!isAppLogLine(args)) return write(...args);
    const [line] = args;
    const { testPath, currentTestName } = expect.getState();
    const where = { testFile: testPath ? path.relative(process.cwd(), testPath) : undefined, test: currentTestName };
    appendFileSync(APP_LOG, `${JSON.stringify({ ...where, ...(JSON.parse(line) as object) })}\n`);
    if (!line.startsWith('{"level":"info"')) held.push(line);
  };
}

beforeEach(({ onTestFailed }) => {
  held = [];
  onTestFailed(() => {
    if (held.length) console.error(`App log (warn and above) during this test:\n${held.join("\n")}`);
  });
});
