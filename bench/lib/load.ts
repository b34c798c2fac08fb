import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { onCleanup, onExitSync } from "./cleanup";

// The parent's side of the load process (./load-worker.ts): one forked Node process, reused for
// every phase, that sends a list of requests and reports each one's status and latency. Times are
// process.hrtime (CLOCK_MONOTONIC, the same clock in both processes), so the parent can line up
// the load's start with its own "applied" polling.

export interface LoadRequest {
  path: string;
  body: string;
  headers?: Record<string, string>;
  /** A webhook secret: sign the body as Stripe does, at the moment it is sent. */
  signWith?: string;
}

export interface LoadReport {
  startedNs: bigint;
  finishedNs: bigint;
  /** Per request, in the order given: the HTTP status, or 0 for a network error / timeout. */
  statuses: Int32Array;
  latenciesMs: Float64Array;
  errorSamples: string[];
}

export type LoadWorkerMessage = { type: "run"; origin: string; concurrency: number; requests: LoadRequest[] };
type LoadParentMessage = { type: "done"; report: LoadReport } | { type: "failed"; message: string };

export interface LoadProcess {
  run(origin: string, concurrency: number, requests: LoadRequest[]): Promise<LoadReport>;
  stop(): void;
}

export function startLoadProcess(): LoadProcess {
  const child: ChildProcess = fork(path.join(import.meta.dirname, "load-worker.ts"), [], {
    execArgv: ["--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pid = child.pid;
  const stop = () => {
    if (child.connected) child.disconnect();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  onCleanup("stop the load process", stop);
  onExitSync(() => {
    if (pid !== undefined && child.exitCode === null) process.kill(pid, "SIGKILL");
  });
  return {
    run(origin, concurrency, requests) {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the load process exited (${code}) during a phase`));
        child.once("exit", onExit);
        child.once("message", (message: LoadParentMessage) => {
          child.off("exit", onExit);
          if (message.type === "done") resolve(message.report);
          else reject(new Error(`the load process failed: ${message.message}`));
        });
        child.send({ type: "run", origin, concurrency, requests } satisfies LoadWorkerMessage);
      });
    },
    stop,
  };
}
