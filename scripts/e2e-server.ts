// The app as e2e tests see it: a production build (`next start`) on a throwaway database seeded with
// the demo accounts, talking to the local Stripe emulator, which delivers webhooks back to it.
import { spawn } from "node:child_process";
import path from "node:path";
import { createPrismaClient } from "../lib/db";
import { PUBLISHED_WEBHOOK_SECRETS } from "../lib/production-guards";
import { seedDatabase } from "../lib/seed";
import { startEmulator } from "../stripe-emulator/index";
import { E2E_APP_PORT, E2E_APP_URL, E2E_STRIPE_PORT } from "../e2e/config";
import { createThrowawayDatabase } from "./throwaway-db";

const WEBHOOK_SECRET = PUBLISHED_WEBHOOK_SECRETS.e2e;

const database = await createThrowawayDatabase("billfold_e2e");
const prisma = createPrismaClient(database.url);
await seedDatabase(prisma);
await prisma.$disconnect();

const emulator = await startEmulator({
  port: E2E_STRIPE_PORT,
  webhookEndpoints: [{ url: `${E2E_APP_URL}/api/webhooks/stripe`, secret: WEBHOOK_SECRET }],
  retrySpeedup: 1000,
});

const next = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "--port", String(E2E_APP_PORT), "--hostname", "127.0.0.1"], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    // A production build on purpose-made development settings (emulator, its published secret, no
    // mail server): the explicit opt-out of lib/production-guards.ts.
    BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    APP_URL: E2E_APP_URL,
    NEXTAUTH_URL: E2E_APP_URL,
    NEXTAUTH_SECRET: "billfold-e2e-secret-0123456789abcdef",
    CRON_SECRET: "billfold-e2e-cron-secret-0123456789",
    STRIPE_SECRET_KEY: "sk_test_billfold_e2e",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_HOST: "127.0.0.1",
    STRIPE_API_PORT: String(emulator.port),
    STRIPE_API_PROTOCOL: "http",
    ADMIN_EMAILS: "",
  },
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await emulator.close().catch(() => undefined);
  await database.drop().catch((error: unknown) => console.error("could not drop e2e database", error));
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 1));
