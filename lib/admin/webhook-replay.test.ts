import { afterAll, describe, expect, it } from "vitest";
import { createThrowawayDatabase } from "@/test/throwaway-db";

// Replays run against a database of this file's own: "replay all failed checkout.session.completed
// events" must not take events that other suites, running beside this one, left failed on purpose.
// Test hooks are on (as on the e2e server) so a handler can be made to fail and then "fixed".
const database = await createThrowawayDatabase("billfold_replay");
process.env.DATABASE_URL = database.url;
process.env.BILLFOLD_TEST_HOOKS = "1";

const { db } = await import("../core/db");
const { findLedgerViolations } = await import("../ledger/invariants");
const { parseStoredEvent } = await import("../stripe");
const { clearWebhookHandlerFailure, failWebhookHandler } = await import("../tooling/test-hooks");
const { acceptEvent, claimEvent, processClaimedEvent, recordEvent } = await import("../stripe-events");
const { replayFailedWebhookEvents, replayWebhookEvent } = await import("./index");
const { checkoutSession, createPendingPurchase, paymentIntent, stripeEvent, walletState } = await import("@/test/webhook-events");

const admin = { id: "admin-test", email: "admin@example.test" };

afterAll(async () => {
  clearWebhookHandlerFailure();
  try {
    expect((await findLedgerViolations()).violations).toEqual([]);
  } finally {
    await db().$disconnect();
    await database.drop();
  }
});

const eventOf = (type: string, object: Record<string, unknown>) => parseStoredEvent(JSON.stringify(stripeEvent(type, object)));
const auditOf = (targetId: string) => db().adminAuditEntry.findMany({ where: { targetId }, orderBy: { createdAt: "asc" } });

describe("replayWebhookEvent (admin replay)", () => {
  it("re-runs an unmatched event once, audited; a second replay is refused and credits nothing more", async () => {
    const p = await createPendingPurchase(2000); // £20.00
    // A session id not saved yet makes the credit wait, as when the event races startTopUp.
    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: null } });
    const { row } = await recordEvent(eventOf("checkout.session.completed", checkoutSession(p)));
    const claimed = await claimEvent(row.id);
    expect(claimed).not.toBeNull();
    if (claimed) expect(await processClaimedEvent(claimed)).toBe("unmatched");
    expect((await walletState(p.userId)).balanceMinor).toBe(0);

    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: p.checkoutSessionId } });
    expect(await replayWebhookEvent(row.id, admin)).toEqual({ id: row.id, stripeEventId: row.stripeEventId, outcome: "processed" });
    expect((await walletState(p.userId)).balanceMinor).toBe(2000);
    await expect(replayWebhookEvent(row.id, admin)).rejects.toMatchObject({ code: "not_retryable", status: 409 });
    expect((await walletState(p.userId)).balanceMinor).toBe(2000);
    expect(await db().webhookEvent.findUnique({ where: { id: row.id } })).toMatchObject({ status: "processed", attempts: 2 });
    // One entry for the replay that ran; the refused one did nothing, so it has none.
    expect(await auditOf(row.id)).toEqual([
      expect.objectContaining({ action: "REPLAY", adminId: admin.id, adminEmail: admin.email, targetType: "webhook_event", details: { stripeEventId: row.stripeEventId, type: "checkout.session.completed", outcome: "processed" } }),
    ]);
  });

  it("says so when the event does not exist", async () => {
    await expect(replayWebhookEvent("no-such-event", admin)).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});

describe("a handler failing by test hook", () => {
  it("fails the event on the fast path's type as on the general path, and a replay after the fix credits once", async () => {
    const p = await createPendingPurchase(500); // £5.00
    failWebhookHandler("checkout.session.completed");
    failWebhookHandler("payment_intent.succeeded");
    const session = eventOf("checkout.session.completed", checkoutSession(p));
    const intent = eventOf("payment_intent.succeeded", paymentIntent(p));
    expect(await acceptEvent(session)).toEqual({ outcome: "failed" }); // would otherwise take the one-statement fast path
    expect(await acceptEvent(intent)).toEqual({ outcome: "failed" });
    expect(await acceptEvent(session)).toEqual({ outcome: "failed" }); // a redelivery fails too
    const failed = await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: session.id } });
    expect(failed).toMatchObject({ status: "failed", attempts: 2, lastError: "InjectedWebhookFailure: test hook: the handler for checkout.session.completed fails on purpose" });
    expect((await walletState(p.userId)).balanceMinor).toBe(0);

    clearWebhookHandlerFailure("checkout.session.completed");
    clearWebhookHandlerFailure("payment_intent.succeeded");
    expect((await replayWebhookEvent(failed.id, admin)).outcome).toBe("processed");
    const intentRow = await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: intent.id } });
    expect((await replayWebhookEvent(intentRow.id, admin)).outcome).toBe("processed"); // same purchase: nothing more to credit
    const wallet = await walletState(p.userId);
    expect(wallet.balanceMinor).toBe(500);
    expect(wallet.entries).toHaveLength(1);
  });

  it("cannot be switched on while hooks are disabled", async () => {
    const { testHooksAllowed } = await import("../core/production-guards");
    const { parseEnv } = await import("../core/env");
    const base = { BILLFOLD_TEST_HOOKS: "1" } as unknown as NodeJS.ProcessEnv;
    expect(testHooksAllowed(parseEnv({ ...base, NODE_ENV: "test" }))).toBe(true);
    expect(testHooksAllowed(parseEnv({ ...base, NODE_ENV: "test", STRIPE_SECRET_KEY: "sk_live_0123" }))).toBe(false);
    expect(testHooksAllowed(parseEnv({ ...base, NODE_ENV: "production" }))).toBe(false);
    expect(testHooksAllowed(parseEnv({ ...base, NODE_ENV: "production", BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1" }))).toBe(false);
    expect(testHooksAllowed(parseEnv({ ...base, NODE_ENV: "production", BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", STRIPE_API_HOST: "api.example.com" }))).toBe(false);
    expect(testHooksAllowed(parseEnv({ ...base, NODE_ENV: "production", BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", STRIPE_API_HOST: "127.0.0.1" }))).toBe(true);
  });
});

describe("replayFailedWebhookEvents (replay all failed in a filter)", () => {
  it("replays each failed event of the type filter once, one audit entry each, effects applied once; then finds nothing", async () => {
    const first = await createPendingPurchase(500); // £5.00
    const second = await createPendingPurchase(2000); // £20.00
    failWebhookHandler("checkout.session.completed");
    failWebhookHandler("payment_intent.succeeded");
    const sessions = [eventOf("checkout.session.completed", checkoutSession(first)), eventOf("checkout.session.completed", checkoutSession(second))];
    const intent = eventOf("payment_intent.succeeded", paymentIntent(first));
    for (const event of [...sessions, intent]) expect(await acceptEvent(event)).toEqual({ outcome: "failed" });
    // A dead one is taken too.
    await db().webhookEvent.update({ where: { stripeEventId: sessions[1]?.id }, data: { status: "dead", nextAttemptAt: null } });
    clearWebhookHandlerFailure();

    // A batch of one leaves one for the next click, and says so.
    const batch = await replayFailedWebhookEvents({ type: "checkout.session.completed" }, admin, 1);
    expect(batch).toMatchObject({ skipped: 0, remaining: 1 });
    expect(batch.results.map((result) => result.outcome)).toEqual(["processed"]);
    const rest = await replayFailedWebhookEvents({ type: "checkout.session." }, admin);
    expect(rest).toMatchObject({ skipped: 0, remaining: 0 });
    expect([...batch.results, ...rest.results].map((result) => result.stripeEventId).sort()).toEqual(sessions.map((event) => event.id).sort());

    expect((await walletState(first.userId)).balanceMinor).toBe(500);
    expect((await walletState(second.userId)).balanceMinor).toBe(2000);
    // The PaymentIntent's event was outside the filter: still failed, and its replay credits nothing more.
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: intent.id } })).toMatchObject({ status: "failed" });
    const intents = await replayFailedWebhookEvents({ type: "payment_intent.succeeded" }, admin);
    expect(intents.results.map((result) => result.outcome)).toEqual(["processed"]);
    expect((await walletState(first.userId)).balanceMinor).toBe(500);
    expect((await walletState(first.userId)).entries).toHaveLength(1);

    expect(await replayFailedWebhookEvents({ type: "checkout.session." }, admin)).toEqual({ results: [], skipped: 0, remaining: 0 });
    for (const result of [...batch.results, ...rest.results]) {
      expect(await auditOf(result.id)).toEqual([
        expect.objectContaining({ action: "REPLAY", targetType: "webhook_event", details: expect.objectContaining({ stripeEventId: result.stripeEventId, outcome: "processed", bulk: true }) }),
      ]);
    }
  });
});
