// Fault: the database goes away while webhooks are flowing. Real top-ups are paid on the emulator,
// which delivers their events (checkout.session.completed, payment_intent.succeeded, charge.succeeded
// …) to the production server through two endpoints, each with Stripe's retry schedule. Partway
// through, every connection to the case's database is killed, over and over, and for a moment the
// database refuses new ones; then it comes back. Only this case's throwaway database is touched.
//
// What must hold once the emulator has nothing left to retry, without the cron's help:
// - every delivery got a 2xx in the end, and every attempt before it failed with a 5xx (or a dropped
//   connection): an event Stripe was told is stored, or told to send again, never a 4xx;
// - every event Stripe delivered is stored once and processed or ignored: a 2xx means applied, and
//   a 5xx was applied on Stripe's retry (a run that dies takes nothing with it: the event is taken
//   inside the transaction that applies it, so the retry finds it claimable at once);
// - every paid top-up credited exactly once, and the ledger invariant.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryRecord } from "@billfold/stripe-emulator";
import {
  adminClient,
  emulatorDeliveries,
  expectEachTopUpAppliedOnce,
  expectEventsStoredAndFinished,
  inParallel,
  payCheckoutSession,
  settledDeliveries,
  startFaultCase,
  startTopUps,
  unfinishedEvents,
  type FaultCase,
} from "./fault-case";

const TOP_UPS = 120;
/** The outage starts once this share of the deliveries has had its first attempt. */
const OUTAGE_STARTS_AT = 0.25;
const OUTAGE_MS = 2000;
const TERMINATE_EVERY_MS = 20;

let faultCase: FaultCase;
beforeAll(async () => {
  // Stripe's 1-minute first retry becomes 60 ms, 5 minutes 300 ms, 30 minutes 1.8 s, 1 hour 3.6 s.
  faultCase = await startFaultCase({ name: "outage", webhookEndpoints: 2, retrySpeedup: 1000 });
});
afterAll(() => faultCase?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The outage: for OUTAGE_MS, every backend connected to the case's database is terminated every
 * TERMINATE_EVERY_MS; in the middle third the database also refuses new connections. Runs on the
 * server-wide admin database, never on the case's own. Resolves to the number of backends killed.
 */
async function cutDatabase(admin: pg.Client, database: string): Promise<number> {
  let terminated = 0;
  const started = Date.now();
  let refusing = false;
  try {
    while (Date.now() - started < OUTAGE_MS) {
      const elapsed = Date.now() - started;
      const shouldRefuse = elapsed > OUTAGE_MS / 3 && elapsed < (2 * OUTAGE_MS) / 3;
      if (shouldRefuse !== refusing) {
        await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS ${shouldRefuse ? "false" : "true"}`);
        refusing = shouldRefuse;
      }
      const killed = await admin.query(`SELECT pg_terminate_backend("pid") FROM pg_stat_activity WHERE "datname" = $1 AND "pid" <> pg_backend_pid()`, [database]);
      terminated += killed.rowCount ?? 0;
      await sleep(TERMINATE_EVERY_MS);
    }
  } finally {
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
  }
  return terminated;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

describe("a database outage while webhooks flow", () => {
  it(`${TOP_UPS} top-ups: every delivery ends in a 2xx, nothing is lost or doubled`, async () => {
    const topUps = await startTopUps(TOP_UPS);
    const admin = await adminClient();
    let terminated = 0;
    try {
      // Opening the top-ups emitted customer, product and price events; the outage is for the payments' events.
      const beforePayments = (await settledDeliveries(faultCase.emulator, 60_000)).length;
      // Paying only talks to the emulator; its deliveries queue up and flow to the server one by one per endpoint.
      await inParallel(topUps, 8, (topUp) => payCheckoutSession(faultCase.emulator, topUp));
      const payments = (await emulatorDeliveries(faultCase.emulator)).length - beforePayments;
      for (;;) {
        const attempted = (await emulatorDeliveries(faultCase.emulator)).slice(beforePayments).filter((delivery) => delivery.attempts.length > 0).length;
        if (attempted >= payments * OUTAGE_STARTS_AT) break;
        await sleep(20);
      }
      terminated = await cutDatabase(admin, faultCase.database.name);
    } finally {
      await admin.end();
    }

    const deliveries = await settledDeliveries(faultCase.emulator, 60_000);
    const retried = deliveries.filter((delivery) => delivery.attempts.length > 1);
    const leftForSweeper = await unfinishedEvents();
    const { db } = await import("@/lib/core/db");
    const unpaid = await db().purchase.count({ where: { id: { in: topUps.map((topUp) => topUp.purchaseId) }, status: { not: "paid" } } });
    console.log(
      `outage: ${deliveries.length} deliveries, ${terminated} backends terminated, ${retried.length} deliveries retried; ` +
        `failed attempts by status ${JSON.stringify(countBy(deliveries.flatMap((delivery) => delivery.attempts.slice(0, -1)), (attempt) => String(attempt.status ?? attempt.error)))}; ` +
        `once the deliveries settled, ${leftForSweeper.length} stored events were unfinished ` +
        `${JSON.stringify(countBy(leftForSweeper, (row) => `${row.type} ${row.status}`))} and ${unpaid} of ${TOP_UPS} top-ups not yet credited`,
    );

    expect(leftForSweeper.map((row) => `${row.type} ${row.status}`), "events a 2xx left unapplied").toEqual([]);
    expect(unpaid, "top-ups not credited once the deliveries settled").toBe(0);
    await expectEventsStoredAndFinished(deliveries.map((delivery) => delivery.eventId));
    await expectEachTopUpAppliedOnce(topUps);

    const badEndings = (delivery: DeliveryRecord) =>
      delivery.state !== "succeeded" ||
      !isSuccess(delivery.attempts.at(-1)?.status ?? null) ||
      delivery.attempts.slice(0, -1).some((attempt) => attempt.status !== null && attempt.status < 500);
    expect(deliveries.filter(badEndings).map((delivery) => ({ event: delivery.eventType, attempts: delivery.attempts }))).toEqual([]);

    // The outage really hit the flow: connections were killed, and deliveries failed and were retried.
    expect(terminated, "no connection was terminated").toBeGreaterThan(0);
    expect(retried.length, "no delivery failed during the outage: it missed the flow").toBeGreaterThan(0);
  });
});
