import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { stripeApiEnv } from "@billfold/stripe-emulator";
import { PUBLISHED_WEBHOOK_SECRETS } from "../../lib/core/production-guards";
import { freePort } from "../../scripts/free-port";
import { superviseChild } from "./cleanup";
import { processTreeCpuMs } from "./process-cpu";

// Billfold as it runs in production: `next start` on the build in .next, started the way
// scripts/e2e-server.ts starts it (NODE_ENV=production with the explicit development-settings
// opt-out, the benchmark's published webhook secret, Stripe calls aimed at the local emulator).
// Its output goes to a log file; its CPU is read from /proc (the process and its children).

export const BENCH_WEBHOOK_SECRET = PUBLISHED_WEBHOOK_SECRETS.bench;
export const BENCH_NEXTAUTH_SECRET = "billfold-bench-secret-0123456789abcdef";
const BENCH_CRON_SECRET = "billfold-bench-cron-secret-0123456789";
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Runs `next build` unless asked to reuse an existing build; exits the run when the build fails. */
export function buildNextApp({ skipBuild, logFile }: { skipBuild: boolean; logFile: string }): void {
  if (skipBuild) {
    if (!existsSync(".next/BUILD_ID")) throw new Error("--skip-build needs an existing production build in .next (run `npx next build`)");
    console.log("Using the existing production build in .next (--skip-build).");
    return;
  }
  console.log(`Building the production app (next build, output in ${logFile}; --skip-build reuses .next)…`);
  const out = openSync(logFile, "w");
  const result = spawnSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
    stdio: ["ignore", out, out],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  closeSync(out);
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status}); see ${logFile}`);
}

export interface NextServer {
  url: string;
  pid: number;
  /** CPU ms used so far by `next start` and its children. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface StartNextOptions {
  databaseUrl: string;
  stripeApiPort: number;
  logFile: string;
  /** Write V8 CPU profiles of the server (node --cpu-prof) into this directory. */
  cpuProfileDir?: string;
  /** Where the server sends its emails; without it (""), emails are dropped before they are rendered. */
  smtpUrl?: string;
}

async function waitUntilServing(url: string, exited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited()) throw new Error(`next start exited at start-up; see ${logFile}`);
    try {
      // Any answer means the server is listening; /api/health also opens its first database connection.
      await fetch(`${url}/api/health`);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`next start did not answer within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function startNextServer(options: StartNextOptions): Promise<NextServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const profiling = options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [];
  if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
  const out = openSync(options.logFile, "a");
  const child = spawn(process.execPath, [...profiling, path.resolve("node_modules/next/dist/bin/next"), "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      NODE_ENV: "production",
      // A production build on purpose-made development settings (emulator, the published bench
      // secret): the explicit opt-out of lib/core/production-guards.ts, as the e2e server uses it.
      BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: options.databaseUrl,
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: BENCH_NEXTAUTH_SECRET,
      CRON_SECRET: BENCH_CRON_SECRET,
      STRIPE_SECRET_KEY: "sk_test_billfold_bench",
      STRIPE_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
      ...stripeApiEnv(`http://127.0.0.1:${options.stripeApiPort}`),
      SMTP_URL: options.smtpUrl ?? "",
    },
  });
  closeSync(out);
  // SIGTERM lets Next.js exit normally, which is also when node writes the --cpu-prof profile.
  const { pid, exited, stop } = superviseChild(child, "next start", { timeoutMs: STOP_TIMEOUT_MS, ask: () => child.kill("SIGTERM") });
  await waitUntilServing(url, exited, options.logFile);
  return { url, pid, cpuMs: () => processTreeCpuMs(pid), stop };
}
