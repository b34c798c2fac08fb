// The emulator delivering signed webhooks to the app's real route, in one test process: an after()
// that does what Next does, a local server that hands each delivery to the route, and helpers that
// wait for deliveries to settle and pay Checkout Sessions without a browser. Only tests import this.
// It must not import next/server: vi.mock's factory for next/server loads this file.
import { createServer, type IncomingMessage } from "node:http";
import { stripeApiEnv, type DeliveryRecord } from "@billfold/stripe-emulator";

// Outside Next.js there is no request scope, so the real `after()` throws. This one keeps the task and
// runs it once the response has been sent (runAfterResponse), as Next does.
const afterTasks = { queued: new Array<() => unknown>(), running: new Set<Promise<unknown>>() };

/**
 * For `vi.mock("next/server", async (importOriginal) => (await import("@/test/emulator-deliveries")).withQueuedAfter(await importOriginal()))`.
 */
export function withQueuedAfter<T extends object>(nextServer: T): T {
  return {
    ...nextServer,
    after(task: Promise<unknown> | (() => unknown)) {
      afterTasks.queued.push(typeof task === "function" ? task : () => task);
    },
  };
}

function runAfterResponse(): void {
  for (const task of afterTasks.queued.splice(0)) {
    const running = Promise.resolve()
      .then(task)
      .catch((error: unknown) => console.error("after() task failed", error))
      .finally(() => afterTasks.running.delete(running));
    afterTasks.running.add(running);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** What the forwarder sends back to the emulator for the route's answer (a test may lose some on purpose). */
export type AnswerToStripe = (answer: { status: number; text: string }) => { status: number; text: string };

/**
 * The app's side of the wire: each delivery, raw body and signature untouched, goes to `deliver` (the
 * route's POST); deferred work runs after the answer. Returns the URL to register as the endpoint.
 */
export async function startDeliveryForwarder(
  deliver: (body: string, signature: string | null) => Promise<Response>,
  answerToStripe: AnswerToStripe = (answer) => answer,
): Promise<{ url: string; close: () => Promise<void> }> {
  const forwarder = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const signature = request.headers["stripe-signature"];
      const answer = await deliver(body, typeof signature === "string" ? signature : null);
      const sent = answerToStripe({ status: answer.status, text: await answer.text() });
      response.writeHead(sent.status, { "content-type": "application/json" });
      response.end(sent.text);
      runAfterResponse();
    })().catch((error: unknown) => {
      console.error("forwarding a delivery failed", error);
      response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => forwarder.listen(0, "127.0.0.1", resolve));
  const address = forwarder.address();
  if (typeof address !== "object" || address === null) throw new Error("the forwarder has no port");
  return {
    url: `http://127.0.0.1:${address.port}/api/webhooks/stripe`,
    close: () => new Promise<void>((resolve) => forwarder.close(() => resolve())),
  };
}

export async function deliveries(emulatorUrl: string): Promise<DeliveryRecord[]> {
  const response = await fetch(`${emulatorUrl}/_emulator/deliveries`);
  const body: { data: DeliveryRecord[] } = await response.json();
  return body.data;
}

/** Waits until every delivery is in one of the `final` states and no deferred processing is running. */
export async function settledDeliveries(emulatorUrl: string, final: ReadonlyArray<DeliveryRecord["state"]>, timeoutMs = 8000): Promise<DeliveryRecord[]> {
  const started = Date.now();
  for (;;) {
    const all = await deliveries(emulatorUrl);
    const settled = all.every((delivery) => final.includes(delivery.state));
    if (settled && afterTasks.queued.length === 0 && afterTasks.running.size === 0) return all;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`deliveries did not settle: ${JSON.stringify(all.filter((d) => d.state !== "succeeded").map((d) => [d.eventType, d.state, d.attempts]))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Pays an open Checkout Session the way `stripe trigger` does, with no browser involved; the emulator's answer status. */
export async function payCheckoutSession(emulatorUrl: string, secretKey: string, checkoutSessionId: string, expectedAmountMinor: number): Promise<number> {
  const response = await fetch(`${emulatorUrl}/v1/payment_pages/${checkoutSessionId}/confirm`, {
    method: "POST",
    headers: { Authorization: `Bearer ${secretKey}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: "pm_card_visa", expected_amount: String(expectedAmountMinor) }).toString(),
  });
  return response.status;
}

/** Points the app's Stripe client (and, given its secret, the webhook check) at the emulator. env() is parsed once, at the app's first use: call this first. */
export function pointStripeAtEmulator(emulatorUrl: string, keys: { secretKey: string; webhookSecret?: string }): void {
  process.env.STRIPE_SECRET_KEY = keys.secretKey;
  Object.assign(process.env, stripeApiEnv(emulatorUrl));
  if (keys.webhookSecret) process.env.STRIPE_WEBHOOK_SECRET = keys.webhookSecret;
}
