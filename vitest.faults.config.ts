import { defineConfig } from "vitest/config";
import { testResolve } from "./vitest.config";

// The fault suite (test/faults/): each file starts the production build (`next start`, so run
// `npx next build` first) on its own database with the Stripe emulator, then cuts the database, kills
// the server or floods it. Files run one at a time: each wants the machine's cores for itself.
export default defineConfig({
  resolve: testResolve,
  test: {
    include: ["test/faults/**/*.test.ts"],
    setupFiles: ["test/quiet-logs.ts"],
    testTimeout: 120_000,
    hookTimeout: 90_000,
    pool: "forks",
    fileParallelism: false,
  },
});
