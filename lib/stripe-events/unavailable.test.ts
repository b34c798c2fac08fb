import { afterEach, describe, expect, it, vi } from "vitest";
import { signatureFor, stripeEvent, webhookRequest } from "@/test/webhook-events";

// The webhook route when the server cannot do its job: Stripe must get an answer that makes it
// deliver again later, and the answer must not reveal anything about the configuration.
const SECRET = "whsec_test_unavailable_0123456789";
const realEnvironment = { ...process.env };

/** The route, loaded afresh so that it reads the environment as it is now. */
async function freshRoute(environment: Record<string, string | undefined>) {
  Object.assign(process.env, environment);
  for (const [name, value] of Object.entries(environment)) if (value === undefined) delete process.env[name];
  vi.resetModules();
  globalThis.billfoldPrisma = undefined;
  await globalThis.billfoldPgPool?.end();
  globalThis.billfoldPgPool = undefined;
  return (await import("@/app/api/webhooks/stripe/route")).POST;
}

function signedDelivery() {
  const body = JSON.stringify(stripeEvent("customer.created", { id: "cus_test_unavailable", object: "customer", metadata: {} }));
  return webhookRequest(body, signatureFor(body, SECRET));
}

afterEach(async () => {
  await globalThis.billfoldPrisma?.$disconnect();
  globalThis.billfoldPrisma = undefined;
  await globalThis.billfoldPgPool?.end();
  globalThis.billfoldPgPool = undefined;
  process.env = { ...realEnvironment };
});

describe("webhook route when unavailable", () => {
  it("answers 500 with the JSON error shape and no connection details when the database is unreachable", async () => {
    const POST = await freshRoute({ STRIPE_WEBHOOK_SECRET: SECRET, DATABASE_URL: "postgresql://billfold:hunter2@127.0.0.1:9/unreachable" });
    const response = await POST(signedDelivery(), { params: Promise.resolve({}) });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "internal_error" } });
    expect(text).not.toMatch(/hunter2|127\.0\.0\.1|unreachable/);
  });

  it("answers 503 stripe_not_configured when no webhook secret is set", async () => {
    const POST = await freshRoute({ STRIPE_WEBHOOK_SECRET: undefined });
    const response = await POST(signedDelivery(), { params: Promise.resolve({}) });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: "stripe_not_configured" } });
  });
});
