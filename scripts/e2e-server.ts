// The app as e2e tests see it: a production build (`next start`) on a throwaway database seeded with
// the demo accounts, talking to the local Stripe emulator, which delivers webhooks back to it, and
// sending mail to a local catcher (E2E_MAIL_SMTP_PORT / E2E_MAIL_WEB_PORT) unless SMTP_URL is set.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "../lib/db";
import { PUBLISHED_WEBHOOK_SECRETS } from "../lib/production-guards";
import { seedDatabase } from "../lib/seed";
import { startEmulator } from "../stripe-emulator/index";
import { E2E_APP_PORT, E2E_APP_URL, E2E_LISTED_ADMIN_EMAIL, E2E_MAIL_SMTP_PORT, E2E_MAIL_WEB_PORT, E2E_STRIPE_PORT } from "../e2e/config";
import { startMailCatcher, type MailCatcher } from "./mail-catcher";
import { runStripeSetup } from "./stripe-setup";
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
await runStripeSetup(database.url, { secretKey: "sk_test_billfold_e2e", host: "127.0.0.1", port: emulator.port, protocol: "http" }, () => undefined);

const mailDirectory = mkdtempSync(path.join(tmpdir(), "billfold-e2e-mail-"));
const catcher: MailCatcher | undefined = process.env.SMTP_URL
  ? undefined
  : await startMailCatcher({ smtpPort: E2E_MAIL_SMTP_PORT, webPort: E2E_MAIL_WEB_PORT, mailDirectory });

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
    ADMIN_EMAILS: E2E_LISTED_ADMIN_EMAIL,
    SMTP_URL: catcher?.smtpUrl ?? process.env.SMTP_URL,
    // The suite signs many users up and in from 127.0.0.1; per-email budgets stay as in production.
    THROTTLE_SIGN_IN_PER_IP: "100000",
    THROTTLE_EMAIL_PER_IP: "100000",
  },
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await emulator.close().catch(() => undefined);
  await catcher?.stop().catch(() => undefined);
  rmSync(mailDirectory, { recursive: true, force: true });
  await database.drop().catch((error: unknown) => console.error("could not drop e2e database", error));
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 1));
