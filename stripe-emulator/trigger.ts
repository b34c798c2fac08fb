// `npm run stripe:trigger -- <event> [more CLI flags]`: runs the official Stripe CLI's
// `stripe trigger` against the local emulator, starting one for the duration if none
// is listening. Telemetry is opted out so the CLI never waits on the network.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type RunningEmulator } from "./index";

export const DEFAULT_TRIGGER_API_KEY = "sk_test_billfold_local_emulator";

/** The CLI's own trigger fixtures, one `<event type>.json` each, copied so that a clean clone has them. */
export const CLI_TRIGGER_FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "cli-triggers");

/** The official CLI (`@stripe/cli`, which the app installs beside this package) wherever npm put it. */
function stripeCliBin(): string {
  return createRequire(import.meta.url).resolve("@stripe/cli/bin/shim.js");
}

async function isEmulatorListening(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/_emulator/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

export interface TriggerOptions {
  event: string;
  apiBase: string;
  apiKey?: string;
  extraArgs?: string[];
}

/** Run `stripe trigger <event>`; resolves with the CLI's exit code and output. */
export function runStripeTrigger(options: TriggerOptions): Promise<{ code: number; output: string }> {
  const args = ["trigger", options.event, "--api-base", options.apiBase, "--api-key", options.apiKey ?? DEFAULT_TRIGGER_API_KEY, ...(options.extraArgs ?? [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [stripeCliBin(), ...args], {
      env: { ...process.env, STRIPE_CLI_TELEMETRY_OPTOUT: "1", STRIPE_API_KEY: options.apiKey ?? DEFAULT_TRIGGER_API_KEY },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

async function main(): Promise<void> {
  const [event, ...extraArgs] = process.argv.slice(2);
  if (!event) {
    console.error("usage: npm run stripe:trigger -- <event> [stripe trigger flags]");
    process.exit(2);
  }
  const host = process.env.STRIPE_EMULATOR_HOST || "127.0.0.1";
  const port = Number(process.env.STRIPE_EMULATOR_PORT ?? 12111);
  let apiBase = `http://${host}:${port}`;
  let started: RunningEmulator | undefined;
  if (!(await isEmulatorListening(apiBase))) {
    const webhookUrl = process.env.STRIPE_EMULATOR_WEBHOOK_URL;
    const secret = (process.env.STRIPE_WEBHOOK_SECRET || "whsec_billfold_local_emulator_secret").split(",")[0] ?? "";
    started = await startEmulator({ port, host, brand: process.env.STRIPE_EMULATOR_BRAND || undefined, webhookEndpoints: webhookUrl ? [{ url: webhookUrl, secret }] : [] });
    apiBase = started.url;
    console.log(`Started a Stripe emulator at ${apiBase} for this trigger${webhookUrl ? `, delivering to ${webhookUrl}` : ""}`);
  }
  const result = await runStripeTrigger({ event, apiBase, extraArgs });
  process.stdout.write(result.output);
  if (started) {
    // Give deliveries a moment to go out before the temporary emulator stops.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await started.close();
  }
  process.exit(result.code);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
