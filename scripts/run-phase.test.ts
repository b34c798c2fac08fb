import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { limitMinutes, runPhase } from "./run-phase";

// npm test stops a phase that hangs at its limit, with everything it started, and names what was
// still running, instead of waiting for CI's own limit.

const resultsDir = mkdtempSync(path.join(os.tmpdir(), "billfold-run-phase-"));
const node = process.execPath;

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a phase of npm test", () => {
  it("passes when its command exits 0 in time", async () => {
    const lines: string[] = [];
    expect(await runPhase("quick", node, ["-e", "process.exit(0)"], { resultsDir, limitMs: 20_000, log: (line) => lines.push(line) })).toBe(true);
    expect(lines.at(-1)).toMatch(/^=== quick: ok in /);
  });

  it("stops a hung phase at its limit with the processes it started, and names the file its reporter says is still running", async () => {
    const pidFile = path.join(resultsDir, "grandchild.pid");
    // A runner that starts a worker, records the file in progress the way test/reporters/ do, and never ends.
    const script = `
      const { spawn } = require("node:child_process");
      const fs = require("node:fs");
      const worker = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      fs.writeFileSync(${JSON.stringify(pidFile)}, String(worker.pid));
      fs.writeFileSync(process.env.BILLFOLD_RUNNING_FILE, "lib/stuck.test.ts");
      setInterval(() => {}, 1000);`;
    const lines: string[] = [];
    const started = Date.now();
    expect(await runPhase("unit and integration", node, ["-e", script], { resultsDir, limitMs: 1500, log: (line) => lines.push(line) })).toBe(false);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(lines.join("\n")).toContain("=== unit and integration: TIMED OUT");
    expect(lines.join("\n")).toContain("    lib/stuck.test.ts");
    expect(lines.at(-1)).toMatch(/^=== unit and integration: FAILED \(timed out\) in /);
    expect(existsSync(pidFile)).toBe(true);
    const worker = Number(readFileSync(pidFile, "utf8"));
    await expect.poll(() => isAlive(worker), { timeout: 5000 }).toBe(false);
  });

  it("reads a phase's limit from TEST_LIMIT_<PHASE>_MINUTES, else its generous default", () => {
    expect(limitMinutes("e2e", {})).toBe(30);
    expect(limitMinutes("unit and integration", { TEST_LIMIT_UNIT_AND_INTEGRATION_MINUTES: "20" })).toBe(20);
    expect(limitMinutes("lint", { TEST_LIMIT_LINT_MINUTES: "soon" })).toBe(5);
  });
});
