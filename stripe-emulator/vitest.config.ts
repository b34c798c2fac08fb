// The package's own test run (`npm test --workspace stripe-emulator`): no database and no app aliases,
// unlike the repository's vitest.config.ts, which also includes these tests in `npm test`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
  },
});
