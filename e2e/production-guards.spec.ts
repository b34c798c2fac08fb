import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../scripts/free-port";
import { SAFE_PRODUCTION_ENV } from "../test/production-env";

// `next start` of the real build refuses development settings in production (lib/core/production-guards.ts,
// run from instrumentation.ts), exiting with a message that names the variable. The table of every
// rule is lib/core/production-guards.test.ts; this proves the wiring on a few.

const NEXT_BIN = path.resolve("node_modules/next/dist/bin/next");

const PRODUCTION = {
  ...SAFE_PRODUCTION_ENV,
  NEXT_TELEMETRY_DISABLED: "1",
  // Nothing listens here: a server that passes the guards starts without needing a database.
  DATABASE_URL: "postgresql://billfold@127.0.0.1:1/billfold",
};

/** Starts `next start` with exactly these variables (plus PATH); resolves when it exits or after `waitMs`. */
async function nextStart(vars: Record<string, string | undefined>, waitMs = 20_000) {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...PRODUCTION };
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"], { env });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { port, child, exited, output: () => output, timeout: () => new Promise<"running">((resolve) => setTimeout(() => resolve("running"), waitMs)) };
}

test.describe("next start in production", () => {
  const refused = [
    { variable: "STRIPE_API_HOST", vars: { STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PORT: "12111" } },
    { variable: "STRIPE_WEBHOOK_SECRET", vars: { STRIPE_WEBHOOK_SECRET: "whsec_billfold_local_emulator_secret" } },
    { variable: "CRON_SECRET", vars: { CRON_SECRET: undefined } },
    // The production environment's key is live: the opt-in that waives development settings is refused.
    { variable: "BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS", vars: { BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", STRIPE_API_HOST: "127.0.0.1" } },
    { variable: "APP_URL", vars: { APP_URL: "http://billfold.example.com" } },
    // The demo spend button spends real credit on nothing: never with a live key.
    { variable: "BILLFOLD_DEMO_SPEND", vars: { BILLFOLD_DEMO_SPEND: "1" } },
    // Embedded Checkout would draw live sessions with a test key: a mismatched publishable key is refused.
    { variable: "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", vars: { NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_0123456789" } },
  ];

  for (const { variable, vars } of refused) {
    test(`refuses to start with a development ${variable}, naming it`, async () => {
      const server = await nextStart(vars);
      // A request makes sure start-up has run, so "still serving" cannot pass for "refused".
      void fetch(`http://127.0.0.1:${server.port}/api/health`).catch(() => undefined);
      const outcome = await Promise.race([server.exited, server.timeout()]);
      server.child.kill("SIGKILL");
      expect(outcome).toBe(1);
      expect(server.output()).toContain(`- ${variable}: `);
      expect(server.output()).toContain("Refusing to start in production");
    });
  }

  test("starts and serves with a complete production environment", async () => {
    const server = await nextStart({}, 4_000);
    try {
      await expect(async () => {
        const response = await fetch(`http://127.0.0.1:${server.port}/signin`);
        expect(response.status).toBe(200);
      }).toPass({ timeout: 15_000 });
      expect(await Promise.race([server.exited, server.timeout()])).toBe("running");
      expect(server.output()).not.toContain("Refusing to start");
      // Only APP_URL (https) is set: next-auth takes it as its URL, so its cookies are Secure.
      const csrf = await fetch(`http://127.0.0.1:${server.port}/api/auth/csrf`);
      expect(csrf.headers.get("set-cookie")).toMatch(/^__Host-next-auth\.csrf-token=[^,]*; Secure/i);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});
