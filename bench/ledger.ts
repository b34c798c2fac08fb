// npm run bench: how fast the money path is on this machine, against a real PostgreSQL server.
// Prints figures; asserts nothing about speed. Uses its own throwaway database (TEST_DATABASE_ADMIN_URL).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import Stripe from "stripe";
import { PUBLISHED_WEBHOOK_SECRETS } from "../lib/core/production-guards";
import { createThrowawayDatabase } from "../test/throwaway-db";

const WEBHOOK_SECRET = PUBLISHED_WEBHOOK_SECRETS.bench;
const database = await createThrowawayDatabase("billfold_bench");
process.env.DATABASE_URL = database.url;
process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
process.env.BILLFOLD_QUIET_LOGS = "1";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(label: string, operations: number, concurrency: number, operation: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < operations) {
        const i = next++;
        const t0 = performance.now();
        await operation(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(52)} ${String(operations).padStart(5)} ops  ${(operations / seconds).toFixed(0).padStart(6)} ops/s  ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms`,
  );
}

// Imported after DATABASE_URL is set: lib/env reads the environment once.
const { db } = await import("../lib/core/db");

try {
  const { credit, debit } = await import("../lib/ledger");
  // The route's own steps (lib/stripe's verification, lib/stripe-events' inbox), without Next's request plumbing.
  const { verifyWebhookEvent } = await import("../lib/stripe");
  const { acceptEvent } = await import("../lib/stripe-events");

  const users = await Promise.all(Array.from({ length: 20 }, (_, i) => db().user.create({ data: { email: `bench-${i}-${randomUUID()}@example.test` } })));
  const oneUser = users[0];
  if (!oneUser) throw new Error("no users");
  console.log(`Billfold ledger benchmark (${new Date().toISOString()}), PostgreSQL ${database.name}\n`);

  await measure("credit, one wallet, sequential", 500, 1, (i) =>
    db().$transaction((tx) => credit(tx, { userId: oneUser.id, currency: "GBP", amountMinor: 100, type: "ADJUSTMENT", idempotencyKey: `seq:${i}` })),
  );
  await measure("credit, one wallet, 10 concurrent (row lock queues)", 500, 10, (i) =>
    db().$transaction((tx) => credit(tx, { userId: oneUser.id, currency: "GBP", amountMinor: 100, type: "ADJUSTMENT", idempotencyKey: `hot:${i}` })),
  );
  await measure("credit, 20 wallets, 10 concurrent", 1000, 10, (i) => {
    const user = users[i % users.length] ?? oneUser;
    return db().$transaction((tx) => credit(tx, { userId: user.id, currency: "GBP", amountMinor: 100, type: "ADJUSTMENT", idempotencyKey: `spread:${i}` }));
  });
  await measure("replayed idempotency key (no effect)", 500, 10, () =>
    db().$transaction((tx) => credit(tx, { userId: oneUser.id, currency: "GBP", amountMinor: 100, type: "ADJUSTMENT", idempotencyKey: "seq:0" })),
  );
  await measure("debit (USAGE), one wallet, 10 concurrent", 500, 10, (i) =>
    db().$transaction((tx) => debit(tx, { userId: oneUser.id, currency: "GBP", amountMinor: 1, type: "USAGE", idempotencyKey: `use:${i}` })),
  );

  await measure("webhook: verify + store + ignore (unhandled type)", 500, 10, async (i) => {
    const body = JSON.stringify({ id: `evt_bench_${i}_${randomUUID()}`, object: "event", type: "customer.created", api_version: "2026-10-28.endive", created: 0, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object: { id: `cus_${i}`, object: "customer" } } });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    const accepted = await acceptEvent(verifyWebhookEvent(body, signature));
    if (accepted.outcome !== "ignored") throw new Error(`webhook outcome ${accepted.outcome}`);
  });

  const wallet = await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId: oneUser.id, currency: "GBP" } } });
  const sum = await db().ledgerEntry.aggregate({ where: { walletId: wallet.id }, _sum: { amountMinor: true } });
  console.log(`\nhot wallet balance ${wallet.balanceMinor}, sum of entries ${sum._sum.amountMinor ?? 0}`);
} finally {
  await db().$disconnect();
  await database.drop();
}
