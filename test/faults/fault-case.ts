// One fault case's world: its own migrated throwaway database, the Stripe emulator in this process,
// and the production build (`next start`) on a free port, talking to each other as in production.
// The suite is black-box: it drives the server over HTTP and judges by database rows, so it holds
// for any implementation of the webhook route that keeps the guarantees.
import { randomUUID } from "node:crypto";
import pg from "pg";
import Stripe from "stripe";
import { expect } from "vitest";
import { PUBLISHED_WEBHOOK_SECRETS } from "@/lib/core/production-guards";
import { EMULATOR_SECRET_KEY } from "@/scripts/app-server-env";
import { freePort } from "@/scripts/free-port";
import { adminUrl, createThrowawayDatabase, type ThrowawayDatabase } from "@/test/throwaway-db";
import { signPayload, startEmulator, stripeApiEnv, type DeliveryRecord, type RunningEmulator } from "@billfold/stripe-emulator";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { appServer, type AppServer } from "./app-server";

export const WEBHOOK_SECRET = PUBLISHED_WEBHOOK_SECRETS.faults;
const CRON_SECRET = "billfold-faults-cron-secret-0123456789";

export interface FaultCaseOptions {
  /** Names the throwaway database. */
  name: string;
  /**
   * How many webhook endpoints the emulator delivers to the server through (each gets every event,
   * with its own queue and retries); 0 when the test delivers events itself.
   */
  webhookEndpoints: number;
  /** Divides Stripe's retry backoff (1 min, 5 min, 30 min, …). */
  retrySpeedup?: number;
}

export interface FaultCase {
  database: ThrowawayDatabase;
  emulator: RunningEmulator;
  stripe: Stripe;
  server: AppServer;
  close(): Promise<void>;
}

/**
 * Starts the case's database, emulator and server, and points this process's lib/ code (env() is
 * read once per process, and vitest gives each test file its own) at the same database and emulator.
 */
export async function startFaultCase(options: FaultCaseOptions): Promise<FaultCase> {
  const database = await createThrowawayDatabase(`billfold_faults_${options.name}`);
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const endpoint = { url: `${appUrl}/api/webhooks/stripe`, secret: WEBHOOK_SECRET };
  const emulator = await startEmulator({
    port: 0,
    webhookEndpoints: Array.from({ length: options.webhookEndpoints }, () => endpoint),
    retrySpeedup: options.retrySpeedup ?? 1000,
  });
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    APP_URL: appUrl,
    STRIPE_SECRET_KEY: EMULATOR_SECRET_KEY,
    ...stripeApiEnv(emulator),
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    BILLFOLD_QUIET_LOGS: "1",
  });
  const stripe = emulatorStripe(emulator, EMULATOR_SECRET_KEY, { maxNetworkRetries: 0 });
  const server = appServer({ port, databaseUrl: database.url, appUrl, stripeApiPort: emulator.port, webhookSecret: WEBHOOK_SECRET, cronSecret: CRON_SECRET });
  await server.start();
  return {
    database,
    emulator,
    stripe,
    server,
    async close() {
      await server.stop();
      await emulator.close();
      const { db } = await import("@/lib/core/db");
      await db().$disconnect();
      if (process.env.KEEP_TEST_DATABASE === "1") console.log(`Kept fault database ${database.url}`);
      else await database.drop();
    },
  };
}

// ── Top-ups ────────────────────────────────────────────────────────────────────────────────────────

export interface TopUp {
  userId: string;
  purchaseId: string;
  checkoutSessionId: string;
  amountMinor: number;
}

const PACKS = [
  { packKey: "starter", amountMinor: 500 }, // £5.00
  { packKey: "standard", amountMinor: 2000 }, // £20.00
  { packKey: "pro", amountMinor: 5000 }, // £50.00
] as const;

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function inParallel<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** `count` users, each with one top-up opened through lib/payments/topups (a pending purchase and a real Checkout Session). */
export async function startTopUps(count: number): Promise<TopUp[]> {
  const { db } = await import("@/lib/core/db");
  const { startTopUp } = await import("@/lib/payments/topups");
  return inParallel(Array.from({ length: count }, (_, index) => index), 6, async (index) => {
    const pack = PACKS[index % PACKS.length] ?? PACKS[0];
    const user = await db().user.create({ data: { email: `faults-${randomUUID()}@example.test`, emailVerified: new Date() } });
    const started = await startTopUp(user.id, { packKey: pack.packKey });
    return { userId: user.id, purchaseId: started.purchaseId, checkoutSessionId: started.checkoutSessionId, amountMinor: pack.amountMinor };
  });
}

/** Pays a Checkout Session the way `stripe trigger` does (the CLI's payment_pages call): the emulator then emits its events. */
export async function payCheckoutSession(emulator: RunningEmulator, topUp: TopUp): Promise<void> {
  const response = await fetch(`${emulator.url}/v1/payment_pages/${topUp.checkoutSessionId}/confirm`, {
    method: "POST",
    headers: { Authorization: `Bearer ${EMULATOR_SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: "pm_card_visa", expected_amount: String(topUp.amountMinor) }).toString(),
  });
  if (response.status !== 200) throw new Error(`paying ${topUp.checkoutSessionId} answered ${response.status}: ${await response.text()}`);
}

/** The emulator's events of one type about these top-ups (their payload names the purchase id in metadata). */
export async function eventsAbout(stripe: Stripe, type: Stripe.Event.Type, topUps: readonly TopUp[]): Promise<Map<string, Stripe.Event>> {
  const purchaseIds = new Set(topUps.map((topUp) => topUp.purchaseId));
  const byPurchase = new Map<string, Stripe.Event>();
  for await (const event of stripe.events.list({ type, limit: 100 })) {
    const object = event.data.object;
    const purchaseId = "metadata" in object ? object.metadata?.billfoldPurchaseId : undefined;
    if (purchaseId && purchaseIds.has(purchaseId)) byPurchase.set(purchaseId, event);
  }
  return byPurchase;
}

// ── Deliveries ─────────────────────────────────────────────────────────────────────────────────────

/** Posts an event to the server as Stripe would, signed now. Resolves to the HTTP status, or null when the connection failed. */
export async function deliver(server: AppServer, event: Stripe.Event, signal?: AbortSignal): Promise<number | null> {
  const payload = JSON.stringify(event);
  try {
    const response = await fetch(`${server.url}/api/webhooks/stripe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": signPayload(WEBHOOK_SECRET, payload, Math.floor(Date.now() / 1000)) },
      body: payload,
      signal,
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}

export async function emulatorDeliveries(emulator: RunningEmulator): Promise<DeliveryRecord[]> {
  const response = await fetch(`${emulator.url}/_emulator/deliveries`);
  const body: { data: DeliveryRecord[] } = await response.json();
  return body.data;
}

/** Waits until the emulator has nothing left to deliver or retry (every delivery succeeded or gave up). */
export async function settledDeliveries(emulator: RunningEmulator, timeoutMs: number): Promise<DeliveryRecord[]> {
  const started = Date.now();
  for (;;) {
    const all = await emulatorDeliveries(emulator);
    if (all.every((delivery) => delivery.state === "succeeded" || delivery.state === "failed")) return all;
    if (Date.now() - started > timeoutMs) {
      const open = all.filter((delivery) => delivery.state !== "succeeded");
      throw new Error(`${open.length} deliveries still open after ${timeoutMs} ms, e.g. ${JSON.stringify(open.slice(0, 5))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ── The sweeper ────────────────────────────────────────────────────────────────────────────────────

/**
 * Makes every unfinished stored event look an hour old (received, locked and due an hour earlier).
 * This stands for time passing: the sweeper only takes a `received` event after UNPROCESSED_GRACE_MS
 * (1 min), a `processing` one after STALE_LOCK_MS (5 min) and a failed one at its nextAttemptAt
 * (30 s, doubling), and the suite cannot wait minutes.
 */
export const AGED_BY_MS = 60 * 60_000;

export async function ageUnfinishedEvents(): Promise<number> {
  const { db } = await import("@/lib/core/db");
  return db().$executeRaw`
    UPDATE "WebhookEvent"
    SET "receivedAt" = "receivedAt" - make_interval(secs => ${AGED_BY_MS / 1000}),
        "lockedAt" = "lockedAt" - make_interval(secs => ${AGED_BY_MS / 1000}),
        "nextAttemptAt" = "nextAttemptAt" - make_interval(secs => ${AGED_BY_MS / 1000})
    WHERE "status" NOT IN ('processed', 'ignored')`;
}

/** Stored events that are not finished (neither processed nor ignored). */
export async function unfinishedEvents() {
  const { db } = await import("@/lib/core/db");
  return db().webhookEvent.findMany({
    where: { status: { notIn: ["processed", "ignored"] } },
    select: { stripeEventId: true, type: true, status: true, attempts: true, lastError: true },
  });
}

/** One pass of the cron route (POST /api/cron/webhooks/retry with the CRON_SECRET bearer), as the scheduler makes it. */
export async function runSweeper(server: AppServer): Promise<void> {
  const response = await fetch(`${server.url}/api/cron/webhooks/retry`, { method: "POST", headers: { Authorization: `Bearer ${CRON_SECRET}` } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`the sweeper answered ${response.status}: ${body}\n${server.logTail()}`);
}

/**
 * Lets time pass and the cron run, until no stored event is left unfinished (or `passes` runs are
 * used up). Resolves to the number of events the sweeper had to finish.
 */
export async function sweepUntilFinished(server: AppServer, passes = 5): Promise<number> {
  const first = await unfinishedEvents();
  for (let pass = 0; pass < passes; pass++) {
    if ((await unfinishedEvents()).length === 0) break;
    await ageUnfinishedEvents();
    await runSweeper(server);
  }
  return first.length;
}

// ── What must hold ─────────────────────────────────────────────────────────────────────────────────

/**
 * Every top-up applied exactly once: the purchase is paid, its user's wallet holds exactly one TOPUP
 * entry, of the purchase's amount, at most the one REFUND `refundedMinor` names for it, and the balance
 * equals what is left (each user here has one purchase, so the check does not depend on how ledger keys
 * are spelt). And the ledger invariant over every wallet.
 */
export async function expectEachTopUpAppliedOnce(topUps: readonly TopUp[], refundedMinor: ReadonlyMap<string, number> = new Map()): Promise<void> {
  const { db } = await import("@/lib/core/db");
  const { findLedgerViolations } = await import("@/lib/ledger/invariants");
  const userIds = topUps.map((topUp) => topUp.userId);
  const purchases = await db().purchase.findMany({ where: { id: { in: topUps.map((topUp) => topUp.purchaseId) } }, select: { id: true, status: true } });
  const wallets = await db().wallet.findMany({
    where: { userId: { in: userIds } },
    select: { userId: true, balanceMinor: true, entries: { select: { type: true, amountMinor: true } } },
  });
  const walletOf = new Map(wallets.map((wallet) => [wallet.userId, wallet]));
  const statusOf = new Map(purchases.map((purchase) => [purchase.id, purchase.status]));

  const problems: string[] = [];
  for (const topUp of topUps) {
    const name = topUp.checkoutSessionId;
    const wallet = walletOf.get(topUp.userId);
    const amountsOf = (type: string) => wallet?.entries.filter((entry) => entry.type === type).map((entry) => entry.amountMinor) ?? [];
    const credits = amountsOf("TOPUP");
    const refunds = amountsOf("REFUND");
    const refund = refundedMinor.get(topUp.purchaseId);
    if (statusOf.get(topUp.purchaseId) !== "paid") problems.push(`purchase of ${name} is ${statusOf.get(topUp.purchaseId)}, not paid`);
    if (credits.length === 0) problems.push(`lost: ${name} was never credited`);
    if (credits.length > 1) problems.push(`doubled: ${name} credited ${credits.length} times`);
    if (credits.length === 1 && credits[0] !== topUp.amountMinor) problems.push(`${name} credited ${credits[0]}, paid ${topUp.amountMinor}`);
    const expectedRefunds = refund === undefined ? [] : [-refund];
    if (JSON.stringify(refunds) !== JSON.stringify(expectedRefunds)) problems.push(`${name}: refunds ${JSON.stringify(refunds)}, expected ${JSON.stringify(expectedRefunds)}`);
    const expectedBalance = topUp.amountMinor - (refund ?? 0);
    if (wallet?.balanceMinor !== expectedBalance) problems.push(`${name}: wallet holds ${wallet?.balanceMinor}, expected ${expectedBalance}`);
  }
  expect(problems, "top-ups lost, doubled or wrong").toEqual([]);
  const { violations } = await findLedgerViolations();
  expect(violations, "ledger invariant").toEqual([]);
}

/** Each event id stored exactly once (the unique constraint makes that structural) and finished: processed or ignored. */
export async function expectEventsStoredAndFinished(stripeEventIds: readonly string[]): Promise<void> {
  const { db } = await import("@/lib/core/db");
  const ids = [...new Set(stripeEventIds)];
  const rows = await db().webhookEvent.findMany({ where: { stripeEventId: { in: ids } }, select: { stripeEventId: true, status: true } });
  const stored = new Set(rows.map((row) => row.stripeEventId));
  expect(ids.filter((id) => !stored.has(id)), "events acknowledged but never stored").toEqual([]);
  expect(rows.length, "event ids stored more than once").toBe(ids.length);
  expect(rows.filter((row) => row.status !== "processed" && row.status !== "ignored"), "events stored but never finished").toEqual([]);
}

/** A client on the server-wide admin database, for what only an administrator can do to the case's database. */
export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  return client;
}
