// Test helpers (@billfold/stripe-emulator/testing): a started emulator with a Stripe SDK client, a
// local webhook receiver, and the official CLI's `stripe trigger` run against an emulator.
import { createServer, type Server } from "node:http";
import Stripe from "stripe";
import { stripeConnection, type EmulatorAddress } from "./connect";
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "./index";

export { CLI_TRIGGER_FIXTURES_DIR, runStripeTrigger, type TriggerOptions } from "./trigger";

/** A Stripe SDK client that talks to the emulator; `config` adds SDK settings such as `maxNetworkRetries`. */
export function emulatorStripe(emulator: EmulatorAddress, secretKey: string, config: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(secretKey, { ...stripeConnection(emulator), ...config });
}

export interface ReceivedWebhook {
  body: string;
  signature: string;
  type: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer with; a function lets a test fail the first N attempts. */
  respondWith: (attempt: number) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<WebhookReceiver> {
  const receiver: Omit<WebhookReceiver, "url" | "close"> = { received: [], respondWith: () => 200 };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const parsed: unknown = JSON.parse(body);
      const type = typeof parsed === "object" && parsed !== null && "type" in parsed && typeof parsed.type === "string" ? parsed.type : "";
      receiver.received.push({ body, signature: String(request.headers["stripe-signature"] ?? ""), type });
      response.writeHead(receiver.respondWith(receiver.received.length));
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export async function startTestEmulator(options: StartEmulatorOptions = {}): Promise<{ emulator: RunningEmulator; stripe: Stripe }> {
  const emulator = await startEmulator({ port: 0, retrySpeedup: 1000, asyncPaymentDelayMs: 50, ...options });
  const stripe = emulatorStripe(emulator, "sk_test_contract", { maxNetworkRetries: 0 });
  return { emulator, stripe };
}

/** Polls `check` (which may be async) until it returns a truthy value. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error("waitFor timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    body: new URLSearchParams(form).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
}

/** The Stripe error a call throws (a test of an error path fails if it resolves, or throws anything else). */
export async function expectStripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected a Stripe error");
}
