import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmulator } from "@billfold/stripe-emulator";
import { onCleanup } from "./cleanup";
import { DatabaseMeter } from "./database-activity";
import { startFloorServer } from "./floor";
import { startLoadProcess, type LoadProcess } from "./load";
import { BENCH_WEBHOOK_SECRET, buildNextApp, startNextServer, type NextServer } from "./next-server";
import { PhaseRunner, type BenchTarget } from "./phase";
import { startBenchPostgres, type BenchPostgres } from "./postgres";

// What both benchmarks set up the same way: the production build, the database cluster with one
// database for Billfold and one for the floor (same migrations), Billfold's `next start`, the floor
// server, the load process and the phase runner. Everything is stopped by ./cleanup.

export interface Harness {
  cluster: BenchPostgres;
  billfold: BenchTarget;
  floor: BenchTarget;
  billfoldServer: NextServer;
  /** Stops both servers (Billfold's SIGTERM also writes its --cpu-prof profile). */
  stopServers(): Promise<void>;
  runner: PhaseRunner;
  load: LoadProcess;
  serverLog: string;
}

export interface HarnessOptions {
  name: string;
  skipBuild: boolean;
  cpuProfileDir?: string;
  /** Billfold's SMTP_URL (none: emails are dropped unrendered). */
  smtpUrl?: string;
  /** Fills both databases before the servers start. */
  seed(billfoldDatabaseUrl: string, floorDatabaseUrl: string): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const logDir = path.join(os.tmpdir(), `billfold-bench-${options.name}-${process.pid}`);
  mkdirSync(logDir, { recursive: true });
  buildNextApp({ skipBuild: options.skipBuild, logFile: path.join(logDir, "next-build.log") });

  const cluster = await startBenchPostgres();
  console.log(`Database: ${cluster.description}`);
  const [billfoldDatabaseUrl, floorDatabaseUrl] = await Promise.all([cluster.createDatabase(`billfold_${options.name}`), cluster.createDatabase(`floor_${options.name}`)]);
  // On the shared server the names get a unique suffix: take them from the URLs.
  const billfoldDatabase = new URL(billfoldDatabaseUrl).pathname.slice(1);
  const floorDatabase = new URL(floorDatabaseUrl).pathname.slice(1);
  await options.seed(billfoldDatabaseUrl, floorDatabaseUrl);

  // Neither benchmark's requests call Stripe; STRIPE_API_* point at the local emulator so that nothing could reach Stripe anyway.
  const emulator = await startEmulator({ port: 0 });
  onCleanup("stop the Stripe emulator", () => emulator.close());
  const serverLog = path.join(logDir, "next-start.log");
  const billfoldServer = await startNextServer({ databaseUrl: billfoldDatabaseUrl, stripeApiPort: emulator.port, logFile: serverLog, cpuProfileDir: options.cpuProfileDir, smtpUrl: options.smtpUrl });
  const floorServer = await startFloorServer({ databaseUrl: floorDatabaseUrl, webhookSecret: BENCH_WEBHOOK_SECRET });
  console.log(`Billfold: next start at ${billfoldServer.url} (log ${serverLog}); floor at ${floorServer.url}`);

  const admin = new pg.Pool({ connectionString: cluster.adminUrl, max: 2 });
  onCleanup("close the statistics connection", () => admin.end());
  const load = startLoadProcess();
  return {
    cluster,
    billfold: {
      name: "Billfold",
      url: billfoldServer.url,
      databaseUrl: billfoldDatabaseUrl,
      cpuMs: billfoldServer.cpuMs,
      meter: new DatabaseMeter(admin, billfoldDatabase, cluster.hasStatementStats),
    },
    floor: {
      name: "floor",
      url: floorServer.url,
      databaseUrl: floorDatabaseUrl,
      cpuMs: floorServer.cpuMs,
      meter: new DatabaseMeter(admin, floorDatabase, cluster.hasStatementStats),
    },
    billfoldServer,
    async stopServers() {
      await billfoldServer.stop();
      await floorServer.stop();
    },
    runner: new PhaseRunner(cluster, load),
    load,
    serverLog,
  };
}
