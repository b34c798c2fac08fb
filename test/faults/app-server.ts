// The app under fault: `next start` from the existing production build, in its own process group so
// the suite can SIGKILL it (and anything it forked) as a crash would, then start it again on the
// same port, database and emulator.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { appServerEnv, type AppServerEnvOptions } from "@/scripts/app-server-env";

const NEXT_BIN = path.resolve("node_modules/next/dist/bin/next");
const READY_TIMEOUT_MS = 60_000;
const LOG_LINES_KEPT = 400;

export interface AppServer {
  readonly url: string;
  readonly port: number;
  /** Starts `next start` and resolves once GET /api/health answers 200. */
  start(): Promise<void>;
  /** SIGTERM, as a deploy would; resolves once the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL to the whole process group: no shutdown hook, no after() task, no pool cleanup runs. */
  kill(): Promise<void>;
  /** The server's last log lines, for a failure message. */
  logTail(lines?: number): string;
}

export function appServer(options: AppServerEnvOptions & { port: number }): AppServer {
  if (!existsSync(path.resolve(".next/BUILD_ID"))) {
    throw new Error("The fault suite runs the production build: run `npx next build` first (npm test does).");
  }
  const url = `http://127.0.0.1:${options.port}`;
  const log: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  function keep(chunk: Buffer) {
    for (const line of chunk.toString("utf8").split("\n")) if (line) log.push(line);
    if (log.length > LOG_LINES_KEPT) log.splice(0, log.length - LOG_LINES_KEPT);
  }

  async function waitUntilReady() {
    const started = Date.now();
    for (;;) {
      if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`next start exited (${child.exitCode ?? child.signalCode}):\n${tail()}`);
      const ok = await fetch(`${url}/api/health`).then((response) => response.ok, () => false);
      if (ok) return;
      if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`next start was not ready within ${READY_TIMEOUT_MS} ms:\n${tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function tail(lines = 60) {
    return log.slice(-lines).join("\n");
  }

  async function signal(name: "SIGTERM" | "SIGKILL") {
    const running = child;
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
    try {
      process.kill(-running.pid, name); // the group: next start and anything it spawned
    } catch {
      // Already gone between the check and the signal.
    }
    await exited;
  }

  return {
    url,
    port: options.port,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error("the app server is already running");
      log.push(`--- next start on ${url}`);
      const started = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(options.port), "--hostname", "127.0.0.1"], {
        env: appServerEnv(options),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      child = started;
      started.stdout?.on("data", keep);
      started.stderr?.on("data", keep);
      exited = new Promise((resolve) => started.once("exit", () => resolve()));
      // Detached, so it would outlive a test process that dies mid-case; take it down with us.
      const killOnExit = () => {
        if (started.pid && started.exitCode === null && started.signalCode === null) {
          try {
            process.kill(-started.pid, "SIGKILL");
          } catch {
            // Already gone.
          }
        }
      };
      process.once("exit", killOnExit);
      started.once("exit", () => process.off("exit", killOnExit));
      await waitUntilReady();
    },
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
    logTail: tail,
  };
}
