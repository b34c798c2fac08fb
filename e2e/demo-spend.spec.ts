// The "Spend … (demo)" button spends real credit on nothing, so it exists only where the demo data
// does: `npm run dev` and the e2e server (BILLFOLD_DEMO_SPEND, lib/core/production-guards.ts). A production
// build configured for real, started here with `next start` on a seeded database of its own, never
// shows it.
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createPrismaClient } from "../lib/core/prisma";
import { DEMO_USER, seedDatabase } from "../lib/tooling/seed";
import { freePort } from "../scripts/free-port";
import { createThrowawayDatabase } from "../test/throwaway-db";
import { SAFE_PRODUCTION_ENV } from "../test/production-env";

const DEMO_BUTTON = /^Spend .* \(demo\)$/;

test("the e2e server (demo data) shows the demo spend button on the wallet", async ({ page }) => {
  await page.goto("/wallet");
  await expect(page.getByRole("button", { name: DEMO_BUTTON })).toBeVisible();
});

/** The cookies a response sets, as one Cookie header (name=value pairs). */
function cookiesOf(response: Response, previous = ""): string {
  const jar = new Map(previous.split("; ").filter(Boolean).map((pair) => [pair.split("=")[0] ?? "", pair] as const));
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0] ?? "";
    jar.set(pair.split("=")[0] ?? "", pair);
  }
  return [...jar.values()].join("; ");
}

test("a production build's wallet has no demo spend button", async () => {
  test.setTimeout(60_000);
  const database = await createThrowawayDatabase("billfold_e2e_production");
  const prisma = createPrismaClient(database.url);
  await seedDatabase(prisma);
  await prisma.$disconnect();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    // The production environment exactly (a live key, no development opt-out), on this database.
    env: { PATH: process.env.PATH, ...SAFE_PRODUCTION_ENV, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  try {
    await expect(async () => expect((await fetch(`${base}/api/health`)).status).toBeLessThan(500)).toPass({ timeout: 20_000 });
    // Signed in as the seeded demo user, through next-auth's own endpoint as the sign-in form does.
    const csrf = await fetch(`${base}/api/auth/csrf`);
    let cookie = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", cookie, origin: SAFE_PRODUCTION_ENV.APP_URL },
      body: new URLSearchParams({ email: DEMO_USER.email, password: DEMO_USER.password, csrfToken, callbackUrl: "/wallet", json: "true" }),
    });
    cookie = cookiesOf(signIn, cookie);
    expect(cookie, `the session cookie after signing in (server output:\n${output})`).toContain("session-token=");

    const wallet = await fetch(`${base}/wallet`, { headers: { cookie }, redirect: "manual" });
    expect(wallet.status, output).toBe(200);
    const html = await wallet.text();
    expect(html).toContain("Wallet balance");
    expect(html, "the production wallet's demo button").not.toMatch(/Spend [^<]*\(demo\)/);
  } finally {
    child.kill("SIGTERM");
    await exited;
    await database.drop();
  }
});
