// What a benchmark started (a PostgreSQL cluster, servers, temp directories) is stopped and removed
// however the run ends: normally, on an error, or on Ctrl-C / SIGTERM. Steps run newest first.

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
