// The load generator, run as its own process (bench/lib/load.ts forks it) so that sending requests
// never competes with the measuring process's event loop. Keep-alive HTTP, `concurrency` requests
// in flight, in the order given. Webhook requests are signed as they are sent, with the current
// timestamp (Stripe's tolerance is 300 s), exactly as Stripe signs each delivery attempt.
import http from "node:http";
import { performance } from "node:perf_hooks";
import Stripe from "stripe";
import type { LoadReport, LoadRequest, LoadWorkerMessage } from "./load";

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_ERROR_SAMPLES = 10;

function send(agent: http.Agent, origin: URL, request: LoadRequest): Promise<number> {
  const headers: Record<string, string> = { "content-type": "application/json", ...request.headers };
  if (request.signWith) headers["stripe-signature"] = Stripe.webhooks.generateTestHeaderString({ payload: request.body, secret: request.signWith });
  headers["content-length"] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: origin.hostname, port: origin.port, method: "POST", path: request.path, headers, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(request.body);
  });
}

async function run(originText: string, concurrency: number, requests: LoadRequest[]): Promise<LoadReport> {
  const origin = new URL(originText);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const statuses = new Int32Array(requests.length);
  const latenciesMs = new Float64Array(requests.length);
  const errorSamples: string[] = [];
  let next = 0;
  const startedNs = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, async () => {
      for (let index = next++; index < requests.length; index = next++) {
        const request = requests[index];
        if (!request) continue;
        const sentAt = performance.now();
        try {
          statuses[index] = await send(agent, origin, request);
        } catch (error) {
          statuses[index] = 0; // a network error: no HTTP answer at all
          if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(error instanceof Error ? error.message : String(error));
        }
        latenciesMs[index] = performance.now() - sentAt;
      }
    }),
  );
  const finishedNs = process.hrtime.bigint();
  agent.destroy();
  return { startedNs, finishedNs, statuses, latenciesMs, errorSamples };
}

process.on("message", (message: LoadWorkerMessage) => {
  if (message.type !== "run") return;
  void run(message.origin, message.concurrency, message.requests).then(
    (report) => process.send?.({ type: "done", report }),
    (error: unknown) => process.send?.({ type: "failed", message: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
