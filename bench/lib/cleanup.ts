// What a benchmark started (a PostgreSQL cluster, servers, temp directories) is stopped and removed
// however the run ends: normally, on an error, or on Ctrl-C / SIGTERM. Steps run newest first.

import type { ChildProcess } from "node:child_process";

type Step = () => Promise<void> | void;

const steps: Array<{ label: string; run: Step }> = [];
const lastResorts: Array<() => void> = [];
let running: Promise<void> | undefined;

/** Registers an async clean-up step (stop a server, drop a database); returns a function that unregisters it. */
export function onCleanup(label: string, run: Step): () => void {
  const step = { label, run };
  steps.push(step);
  return () => {
    const index = steps.indexOf(step);
    if (index >= 0) steps.splice(index, 1);
  };
}

/**
 * A synchronous step for when the process exits before the async ones could run (an uncaught
 * error in a callback, process.exit elsewhere): kill a child by its pid, remove a directory.
 */
export function onExitSync(run: () => void): void {
  lastResorts.push(run);
}

/** Runs every registered step once, newest first; errors are printed, not thrown. */
export function runCleanup(): Promise<void> {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop();
      if (!step) break;
      try {
        await step.run();
      } catch (error) {
        console.error(`clean-up "${step.label}" failed:`, error instanceof Error ? error.message : error);
      }
    }
  })();
  return running;
}

/** Ctrl-C and SIGTERM stop everything before exiting; a second Ctrl-C exits at once. */
export function installSignalHandlers(): void {
  let interrupted = false;
  const stop = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping servers and removing the benchmark's database cluster…`);
    void runCleanup().finally(() => process.exit(130));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("exit", () => {
    for (const run of lastResorts.reverse()) {
      try {
        run();
      } catch {
        // Best effort: the process is exiting.
      }
    }
  });
}

/**
 * A child process that is killed with the run: `stop()` asks it to end (`ask`), SIGKILLs it after
 * `timeoutMs`, and resolves once it has exited; an exit before the async clean-up kills it by pid.
 */
export function superviseChild(child: ChildProcess, label: string, options: { timeoutMs: number; ask: () => void }) {
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${label}`);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  onExitSync(() => {
    if (!exited()) process.kill(pid, "SIGKILL");
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      if (exited()) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      options.ask();
    });
    return stopped;
  };
  onCleanup(`stop ${label}`, stop);
  return { pid, exited, stop };
}

/** Runs a benchmark's main: clean-up on every ending, exit code 0 only when it returns true. */
export async function runBenchmark(main: () => Promise<boolean>): Promise<never> {
  installSignalHandlers();
  let exitCode = 1;
  try {
    exitCode = (await main()) ? 0 : 1;
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  } finally {
    await runCleanup();
  }
  process.exit(exitCode);
}
