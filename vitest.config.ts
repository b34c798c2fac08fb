import path from "node:path";
import { defineConfig } from "vitest/config";

/** How tests resolve imports; the fault suite's config (vitest.faults.config.ts) uses the same. */
export const testResolve = {
  alias: {
    "@": path.resolve(import.meta.dirname),
    // `server-only` throws outside React Server Components; tests run lib code directly.
    "server-only": path.resolve(import.meta.dirname, "test/server-only-noop.ts"),
  },
};

export default defineConfig({
  resolve: testResolve,
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "stripe-emulator/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["test/vitest-global-setup.ts"],
    setupFiles: ["test/quiet-logs.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
