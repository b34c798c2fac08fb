// The app as e2e tests see it: a production build (`next start`) on a throwaway database seeded with
// the demo accounts, talking to the local Stripe emulator, which delivers webhooks back to it, and
// sending mail to a local catcher (E2E_MAIL_SMTP_PORT / E2E_MAIL_WEB_PORT) unless SMTP_URL is set,
// with Google sign-in answered by a local stand-in (E2E_OAUTH_PORT, scripts/oauth-stand-in.ts).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "../lib/core/prisma";
import { PUBLISHED_WEBHOOK_SECRETS } from "../lib/core/production-guards";
import { seedDatabase } from "../lib/tooling/seed";
import { startEmulator, stripeConnection } from "@billfold/stripe-emulator";
import { E2E_APP_PORT, E2E_APP_URL, E2E_EMBEDDED_APP_PORT, E2E_EMBEDDED_APP_URL, E2E_SERVER_RUNTIME_FILE, E2E_CRON_SECRET, E2E_LISTED_ADMIN_EMAIL, E2E_MAIL_SMTP_PORT, E2E_MAIL_WEB_PORT, E2E_OAUTH_PORT, E2E_STRIPE_PORT } from "../e2e/config";
import { appServerEnv, EMULATOR_SECRET_KEY } from "./app-server-env";
import { startMailCatcher, type MailCatcher } from "./mail-catcher";
import { startOAuthStandIn } from "./oauth-stand-in";
import { runStripeSetup } from "./stripe-setup";
import { createThrowawayDatabase } from "../test/throwaway-db";

const WEBHOOK_SECRET = PUBLISHED_WEBHOOK_SECRETS.e2e;

const database = await createThrowawayDatabase("billfold_e2e");
const prisma = createPrismaClient(database.url);
await seedDatabase(prisma);
await prisma.$disconnect();

const emulator = await startEmulator({
  port: E2E_STRIPE_PORT,
  brand: "Billfold",
  webhookEndpoints: [{ url: `${E2E_APP_URL}/api/webhooks/stripe`, secret: WEBHOOK_SECRET }],
  retrySpeedup: 1000,
});
await runStripeSetup(database.url, { secretKey: EMULATOR_SECRET_KEY, ...stripeConnection(emulator) }, () => undefined);

const mailDirectory = mkdtempSync(path.join(tmpdir(), "billfold-e2e-mail-"));
const catcher: MailCatcher | undefined = process.env.SMTP_URL
  ? undefined
  : await startMailCatcher({ smtpPort: E2E_MAIL_SMTP_PORT, webPort: E2E_MAIL_WEB_PORT, mailDirectory });

// Google sign-in goes to a local stand-in: no OAuth provider is reachable offline.
const oauthStandIn = await startOAuthStandIn({ port: E2E_OAUTH_PORT });

// The app's log (a JSON line per request and event) goes to a file, not into the test run's output:
// `npm test` prints it only when the e2e phase fails.
const appLogPath = path.resolve(process.env.E2E_SERVER_LOG || ".test-results/e2e-server.log");
mkdirSync(path.dirname(appLogPath), { recursive: true });
const appLog = openSync(appLogPath, "w");
console.log(`App server log: ${path.relative(process.cwd(), appLogPath)}`);

mkdirSync(path.dirname(path.resolve(E2E_SERVER_RUNTIME_FILE)), { recursive: true });
writeFileSync(E2E_SERVER_RUNTIME_FILE, JSON.stringify({ databaseUrl: database.url }));

const appEnv = (appUrl: string, checkoutUi: "hosted" | "embedded") =>
  appServerEnv({
    databaseUrl: database.url,
    appUrl,
    checkoutUi,
    stripeApiPort: emulator.port,
    webhookSecret: WEBHOOK_SECRET,
    cronSecret: E2E_CRON_SECRET,
    smtpUrl: catcher?.smtpUrl ?? process.env.SMTP_URL,
    adminEmails: E2E_LISTED_ADMIN_EMAIL,
    testHooks: true,
    demoSpend: true,
    oauthStandInIssuer: oauthStandIn.issuer,
  });

const startApp = (port: number, env: NodeJS.ProcessEnv) =>
  spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    stdio: ["ignore", appLog, appLog],
    env,
  });

// The suite's specs drive the hosted Checkout page: this instance keeps it. The embedded journeys
// (e2e/embedded-checkout.spec.ts) run on a second start of the same build with the default UI
// (embedded), on its own port, sharing everything else; the emulator's webhooks go to the first.
const next = startApp(E2E_APP_PORT, appEnv(E2E_APP_URL, "hosted"));
const embeddedNext = startApp(E2E_EMBEDDED_APP_PORT, appEnv(E2E_EMBEDDED_APP_URL, "embedded"));

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  embeddedNext.kill("SIGTERM");
  await emulator.close().catch(() => undefined);
  await catcher?.stop().catch(() => undefined);
  await oauthStandIn.stop().catch(() => undefined);
  rmSync(mailDirectory, { recursive: true, force: true });
  await database.drop().catch((error: unknown) => console.error("could not drop e2e database", error));
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 1));
embeddedNext.on("exit", (code) => void stop(code ?? 1));
