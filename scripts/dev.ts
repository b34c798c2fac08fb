// npm run dev: the app with demo data from nothing but Node. Uses DATABASE_URL when set, otherwise an
// embedded PostgreSQL under .data/; uses STRIPE_SECRET_KEY when set, otherwise the local Stripe emulator.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createPrismaClient } from "../lib/core/prisma";
import { migrate } from "../lib/core/migrations";
import { PUBLISHED_WEBHOOK_SECRETS } from "../lib/core/production-guards";
import { DEMO_ADMIN, DEMO_USER, SeedRefusedError, seedDatabase } from "../lib/tooling/seed";
import { EMBEDDED_DATA_DIR, EmbeddedPostgresUnreachableError, startEmbeddedPostgres } from "./embedded-postgres";
import { startEmulator, stripeApiEnv, stripeConnection } from "@billfold/stripe-emulator";
import { mailCatcherPorts, startMailCatcher } from "./mail-catcher";
import { runStripeSetup } from "./stripe-setup";
import { CRON_PATHS, devCronIntervalMs, startDevCron } from "./dev-cron";

const appPort = Number(process.env.PORT ?? 3000);
const production = process.argv.includes("--production");
const appUrl = process.env.APP_URL || `http://localhost:${appPort}`;
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  APP_URL: appUrl,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || appUrl,
  // `--production` runs the production build on this machine's development settings (emulator,
  // embedded database, no mail server); lib/core/production-guards.ts would refuse them otherwise.
  BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1",
  // The wallet's "Spend … (demo)" button, for the demo accounts seeded below. A production build on a
  // real Stripe account gets none (start-up would refuse it: lib/core/production-guards.ts demoSpendAllowed).
  BILLFOLD_DEMO_SPEND: production && process.env.STRIPE_SECRET_KEY ? undefined : "1",
};
const cleanups: Array<() => Promise<void>> = [];
// The dev timer below calls the cron routes with it; a fresh one per run unless CRON_SECRET is set.
const cronSecret = process.env.CRON_SECRET || randomBytes(24).toString("hex");
childEnv.CRON_SECRET = cronSecret;
const cronIntervalMs = devCronIntervalMs(process.env.BILLFOLD_DEV_CRON_INTERVAL_SECONDS);

const embeddedDatabase = !process.env.DATABASE_URL;
if (embeddedDatabase) {
  const embedded = await startEmbeddedPostgres({
    dataDir: path.resolve(EMBEDDED_DATA_DIR),
    port: Number(process.env.BILLFOLD_EMBEDDED_DB_PORT || 54329),
  }).catch((error: unknown) => {
    // One sentence that says what to do, not a stack trace.
    if (!(error instanceof EmbeddedPostgresUnreachableError)) throw error;
    console.error(error.message);
    process.exit(1);
  });
  cleanups.push(embedded.stop);
  childEnv.DATABASE_URL = embedded.url;
  console.log(`Embedded PostgreSQL at ${embedded.url}, data in ${embedded.dataDir.startsWith(process.cwd()) ? path.relative(process.cwd(), embedded.dataDir) : embedded.dataDir}`);
}
const databaseUrl = childEnv.DATABASE_URL ?? "";

const applied = await migrate(databaseUrl);
console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database schema is up to date.");
const prisma = createPrismaClient(databaseUrl);
try {
  // The embedded database is this script's own, so the people signed up on it are test accounts;
  // a DATABASE_URL holding other users may be a real database, and is not seeded unless forced.
  await seedDatabase(prisma, { force: embeddedDatabase || undefined });
} catch (error) {
  if (!(error instanceof SeedRefusedError)) throw error;
  console.warn(`Not seeding the demo accounts. ${error.message}`);
} finally {
  await prisma.$disconnect();
}

if (!process.env.STRIPE_SECRET_KEY) {
  const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET || PUBLISHED_WEBHOOK_SECRETS.devEmulator;
  const emulatorPort = Number(process.env.STRIPE_EMULATOR_PORT ?? 12111);
  const emulator = await startEmulator({
    port: emulatorPort,
    brand: "Billfold",
    webhookEndpoints: [{ url: `http://127.0.0.1:${appPort}/api/webhooks/stripe`, secret: webhookSecret.split(",")[0] ?? webhookSecret }],
    snapshotFile: path.resolve(".data/stripe-emulator.json"),
  });
  cleanups.push(emulator.close);
  Object.assign(childEnv, {
    STRIPE_SECRET_KEY: "sk_test_billfold_local_emulator",
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    // Embedded Checkout (BILLFOLD_CHECKOUT_UI, default embedded) draws the emulator's page with its
    // Stripe.js-compatible script, which only checks the key's prefix.
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_billfold_local_emulator",
    ...stripeApiEnv(emulator),
  });
  console.log(`Local Stripe emulator at ${emulator.url} (no STRIPE_SECRET_KEY set)`);
  // A newcomer sending their own signed events (curl, a script) needs the secret the app checks.
  const secretSource = process.env.STRIPE_WEBHOOK_SECRET ? "from STRIPE_WEBHOOK_SECRET" : "the development default";
  console.log(`Webhook signing secret (${secretSource}): ${webhookSecret.split(",")[0] ?? webhookSecret}`);
  console.log("Plans in the emulator:");
  await runStripeSetup(databaseUrl, { secretKey: "sk_test_billfold_local_emulator", ...stripeConnection(emulator) });
} else {
  console.log("Using STRIPE_SECRET_KEY; run `npm run stripe:setup` once to create the plans' prices in that account.");
}

let mailInbox: string | undefined;
if (!process.env.SMTP_URL) {
  const catcher = await startMailCatcher({ ...mailCatcherPorts(), mailDirectory: path.resolve(".data/maildev") });
  cleanups.push(catcher.stop);
  childEnv.SMTP_URL = catcher.smtpUrl;
  mailInbox = catcher.webUrl;
  console.log(`Local mail catcher: SMTP at ${catcher.smtpUrl}, inbox at ${catcher.webUrl} (no SMTP_URL set)`);
}

const nextBin = path.resolve("node_modules/next/dist/bin/next");
const next = spawn(process.execPath, [nextBin, production ? "start" : "dev", "--port", String(appPort)], { env: childEnv, stdio: "inherit" });

// Production's scheduler calls the cron routes every minute (vercel.json); without this, a failed or
// unmatched event's "next attempt" would never come here, and grants would never expire.
const cron = startDevCron({ appUrl: `http://127.0.0.1:${appPort}`, cronSecret, intervalMs: cronIntervalMs });
cleanups.push(async () => cron.stop());
console.log(
  cronIntervalMs > 0
    ? `Sweeps: ${CRON_PATHS.join(" and ")} every ${cronIntervalMs / 1000} s (BILLFOLD_DEV_CRON_INTERVAL_SECONDS; 0 turns them off)`
    : "Sweeps: off (BILLFOLD_DEV_CRON_INTERVAL_SECONDS=0); failed events and due grants wait for POST /api/cron/webhooks/retry and /api/cron/credits",
);

console.log(`
  Billfold is starting on ${appUrl}
  Demo user:  ${DEMO_USER.email} / ${DEMO_USER.password}
  Demo admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}${mailInbox ? `\n  Emails (verification, password reset): ${mailInbox}` : ""}
`);

async function shutdown(code: number) {
  next.kill("SIGTERM");
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
next.on("exit", (code) => void shutdown(code ?? 0));
