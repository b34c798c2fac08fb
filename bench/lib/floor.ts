import { fork } from "node:child_process";
import path from "node:path";
import { superviseChild } from "./cleanup";
import { processTreeCpuMs } from "./process-cpu";

// Starts a same-work floor (./floor-server.ts, or another `script`) as its own Node process on its own database.

export interface FloorServer {
  url: string;
  pid: number;
  cpuMs(): number;
  stop(): Promise<void>;
}

export function startFloorServer(options: { databaseUrl: string; webhookSecret?: string; script?: string; env?: Record<string, string> }): Promise<FloorServer> {
  const child = fork(options.script ?? path.join(import.meta.dirname, "floor-server.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...options.env, NODE_ENV: "production", DATABASE_URL: options.databaseUrl, STRIPE_WEBHOOK_SECRET: options.webhookSecret ?? "" },
  });
  // Disconnecting makes the floor close its pool and exit.
  const { pid, stop } = superviseChild(child, "the floor server", {
    timeoutMs: 10_000,
    ask: () => (child.connected ? child.disconnect() : child.kill("SIGTERM")),
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the floor server exited (${code}) at start-up`)));
    child.once("message", (message: { type: string; port: number }) => {
      if (message.type !== "listening") return reject(new Error("unexpected message from the floor server"));
      resolve({ url: `http://127.0.0.1:${message.port}`, pid, cpuMs: () => processTreeCpuMs(pid), stop });
    });
  });
}
