import { defineConfig } from "@playwright/test";
import { ADMIN_STATE, E2E_APP_URL, USER_STATE } from "./e2e/config";

// Debian's Chromium, never a downloaded browser; these flags keep it off the (closed) network.
const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  forbidOnly: !!process.env.CI,
  // running-specs names the test that hung when `npm test` stops this phase at its time limit.
  reporter: [["list"], ["json", { outputFile: ".test-results/playwright.json" }], ["./test/reporters/running-specs.ts"]],
  use: { baseURL: E2E_APP_URL, trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: chromium },
    { name: "user", testMatch: /.*\.spec\.ts/, testIgnore: /admin\..*spec\.ts/, dependencies: ["setup"], use: { ...chromium, storageState: USER_STATE } },
    { name: "admin", testMatch: /admin\..*spec\.ts/, dependencies: ["setup", "user"], use: { ...chromium, storageState: ADMIN_STATE } },
    { name: "ledger check", testMatch: /ledger\.final\.ts/, dependencies: ["admin"], use: { ...chromium, storageState: ADMIN_STATE } },
  ],
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `${E2E_APP_URL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
