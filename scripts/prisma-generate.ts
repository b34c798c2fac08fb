// Runs `prisma generate` offline: Prisma 7's CLI wants a schema-engine binary from its CDN even though
// generating the client never uses it, so we point it at a stub (scripts/schema-engine-stub.sh).
import { spawnSync } from "node:child_process";
import path from "node:path";

const prismaCli = path.resolve("node_modules/prisma/build/index.js");
const result = spawnSync(process.execPath, [prismaCli, "generate", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || path.resolve("scripts/schema-engine-stub.sh"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
