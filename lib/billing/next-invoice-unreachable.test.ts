import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";

// /billing's next invoice when Stripe cannot be reached at all: a port where nothing listens. The page
// gets `unavailable` (a plain sentence) quickly, never an error. Its own file: lib/stripe's client is
// pointed at that port before anything imports it.

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_billfold_unreachable", STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PORT: String(await closedPort()), STRIPE_API_PROTOCOL: "http" });
const { getNextInvoice } = await import("./next-invoice");

describe("the next invoice when Stripe is unreachable", () => {
  it("is `unavailable`, within seconds", async () => {
    const user = await db().user.create({ data: { email: `unreachable-${crypto.randomUUID()}@example.test`, emailVerified: new Date() } });
    await db().subscription.create({
      data: { id: `sub_unreachable${Date.now()}`, userId: user.id, stripeCustomerId: "cus_unreachable", status: "active", stripeCreatedAt: new Date() },
    });
    const subscription = await db().subscription.findFirstOrThrow({ where: { userId: user.id } });
    const started = Date.now();
    expect(await getNextInvoice(user.id, { id: subscription.id, status: "active" })).toEqual({ kind: "unavailable" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
