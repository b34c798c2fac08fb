// `npm run stripe:emulator`: a standalone local Stripe configured from the environment, plus
// `--brand <name>` (or STRIPE_EMULATOR_BRAND) for the account's name on its pages.
import { parseArgs } from "node:util";
import { startEmulator } from "./index";

const { values: flags } = parseArgs({ options: { brand: { type: "string" } } });

const port = Number(process.env.STRIPE_EMULATOR_PORT ?? 12111);
const host = process.env.STRIPE_EMULATOR_HOST || "127.0.0.1";
const webhookUrl = process.env.STRIPE_EMULATOR_WEBHOOK_URL;
const webhookSecret = (process.env.STRIPE_WEBHOOK_SECRET || "whsec_billfold_local_emulator_secret").split(",")[0] ?? "";

const emulator = await startEmulator({
  port,
  host,
  brand: flags.brand || process.env.STRIPE_EMULATOR_BRAND || undefined,
  publicUrl: process.env.STRIPE_EMULATOR_PUBLIC_URL || undefined,
  webhookEndpoints: webhookUrl ? [{ url: webhookUrl, secret: webhookSecret }] : [],
  snapshotFile: process.env.STRIPE_EMULATOR_SNAPSHOT || undefined,
  retrySpeedup: Number(process.env.STRIPE_EMULATOR_RETRY_SPEEDUP || 1),
});

console.log(`Stripe emulator listening on ${emulator.url}${webhookUrl ? `, delivering webhooks to ${webhookUrl}` : " (no webhook URL set)"}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
