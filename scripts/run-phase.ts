// One phase of `npm test` (lint, typecheck, vitest, build, faults, e2e) as a child process under a
// time limit, so a hang fails in minutes rather than at CI's own limit, naming what hung.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

// Generous on purpose (a loaded 2-core machine). TEST_LIMIT_<PHASE>_MINUTES overrides one, e.g.
// TEST_LIMIT_E2E_MINUTES=45 or TEST_LIMIT_UNIT_AND_INTEGRATION_MINUTES=20.
const LIMIT_MINUTES: Record<string, number> = { lint: 5, typecheck: 5, "unit and integration": 15, build: 10, faults: 10, e2e: 30 };
const KILL_GRACE_MS = 10_000;

export function limitMinutes(label: string, environment: Record<string, string | undefined> = process.env): number {
  const override = Number(environment[`TEST_LIMIT_${label.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_MINUTES`]);
  return Number.isFinite(override) && override > 0 ? override : (LIMIT_MINUTES[label] ?? 15);
}

export interface PhaseOptions {
  /** Where the runners' reporters (test/reporters/) list what has started and not finished. */
  resultsDir: string;
  /** Overrides the phase's limit (tests). */
  limitMs?: number;
  log?: (line: string) => void;
}

/** Runs `command`, printing a header and a result line; false when it failed or was stopped at its limit. */
export async function runPhase(label: string, command: string, args: string[], options: PhaseOptions): Promise<boolean> {
  const log = options.log ?? console.log;
  log(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const runningFile = `${options.resultsDir}/${label.replace(/\W+/g, "-")}.running`;
  rmSync(runningFile, { force: true });
  // Its own process group, so a timeout stops the runner with its workers and servers. stdio is
  // inherited, not piped: while a phase runs, this process must stay free to read the embedded
  // server's log pipe, or PostgreSQL would block once the pipe filled.
  const child = spawn(command, args, {
    stdio: "inherit",
    detached: true,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0", BILLFOLD_RUNNING_FILE: runningFile },
  });
  const stopGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  // In its own group the child no longer gets the terminal's Ctrl-C; pass it on.
  const interrupted = () => stopGroup("SIGINT");
  process.on("SIGINT", interrupted);
  const limitMs = options.limitMs ?? limitMinutes(label) * 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup("SIGTERM");
    setTimeout(() => stopGroup("SIGKILL"), KILL_GRACE_MS).unref();
  }, limitMs);
  const status = await new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code));
  });
  clearTimeout(timer);
  process.off("SIGINT", interrupted);
  stopGroup("SIGKILL"); // whatever the runner left behind (a worker, a server)
  if (timedOut) {
    const running = existsSync(runningFile) ? readFileSync(runningFile, "utf8").trim() : "";
    log(
      `=== ${label}: TIMED OUT: stopped after ${(limitMs / 60_000).toFixed(1)} min.` +
        (running ? ` Still running:\n${running.split("\n").map((line) => `    ${line}`).join("\n")}` : " Its runner named no file in progress."),
    );
  }
  const ok = status === 0 && !timedOut;
  log(`=== ${label}: ${ok ? "ok" : "FAILED"}${timedOut ? " (timed out)" : ""} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return ok;
}
