import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../../core/db";
import { checkoutSession, createPendingPurchase, dispute, refund, refundedCharge, stripeEvent, webhookRoute, type JsonObject } from "@/test/webhook-events";

// What may start an auto-recharge: spending (a USAGE debit, a reservation), and nothing else. Money Stripe
// took back (a refund, a dispute) and credit that ran out (expiry, a void) never queue an off-session
// charge on the card, through the real webhook route, expiry sweep and admin void.

// No Stripe key: test mode, and any Stripe call fails like an outage (queueing a recharge needs none).
const webhook = await webhookRoute({ secret: "whsec_test_recharge_triggers_0123456789" });
const { credit, debit, promotionalGrantKey, reserve, reservationKey, usageKey } = await import("../../ledger");
const { expireGrant } = await import("../../ledger/expiry");
const { voidPromotionalGrant } = await import("../../admin/grants");
const { findLedgerViolations } = await import("../../ledger/invariants");

async function deliver(event: JsonObject) {
  const response = await webhook.deliver(event);
  return (await response.json()) as { outcome: string };
}

/** Auto-recharge on with a saved card: below £5.00 available, back up to £20.00, at most £100.00 a month. */
async function turnOnAutoRecharge(userId: string) {
  const wallet = await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } });
  await db().autoRecharge.create({
    data: { walletId: wallet.id, enabled: true, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 10_000, paymentMethodId: `pm_test_${randomUUID().slice(0, 8)}` },
  });
}

const rechargesOf = (userId: string) => db().recharge.findMany({ where: { wallet: { userId } } });
const balanceOf = async (userId: string) => (await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } })).balanceMinor;

/** A paid £20.00 top-up, credited through the webhook, with auto-recharge then turned on (£20.00 is above its threshold). */
async function paidTopUpWithAutoRecharge() {
  const p = await createPendingPurchase(2000); // £20.00
  expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).outcome).toBe("processed");
  await turnOnAutoRecharge(p.userId);
  return p;
}

/** A user whose only credit is a £20.00 promotional grant that expires at `expiresAt`, with auto-recharge on. */
async function promotionalUser(expiresAt: Date | null, now: Date) {
  const user = await db().user.create({ data: { email: `triggers-${randomUUID()}@example.test` } });
  const { entry } = await db().$transaction((tx) =>
    credit(tx, {
      userId: user.id,
      currency: "GBP",
      amountMinor: 2000, // £20.00
      type: "PROMOTIONAL",
      idempotencyKey: promotionalGrantKey(randomUUID()),
      grant: { source: "promotional", category: "promotional", expiresAt },
      now,
    }),
  );
  await turnOnAutoRecharge(user.id);
  const grant = await db().creditGrant.findUniqueOrThrow({ where: { entryId: entry.id } });
  return { userId: user.id, grantId: grant.id };
}

describe("auto-recharge starts only after spending", () => {
  it("a refund that takes the wallet below the threshold queues no recharge", async () => {
    const p = await paidTopUpWithAutoRecharge();
    const r = refund(p, 2000); // £20.00 back to the card
    expect((await deliver(stripeEvent("charge.refunded", refundedCharge(p, [r])))).outcome).toBe("processed");
    expect(await balanceOf(p.userId)).toBe(0);
    expect(await rechargesOf(p.userId)).toEqual([]);
  });

  it("a dispute hold queues no recharge on the card being disputed", async () => {
    const p = await paidTopUpWithAutoRecharge();
    expect((await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")))).outcome).toBe("processed");
    expect(await balanceOf(p.userId)).toBe(0); // £20.00 held
    expect(await rechargesOf(p.userId)).toEqual([]);
  });

  it("credit expiring queues no recharge", async () => {
    const issuedAt = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    const { userId, grantId } = await promotionalUser(new Date(Date.now() - 24 * 60 * 60 * 1000), issuedAt); // expired yesterday
    const expiry = await db().$transaction((tx) => expireGrant(tx, grantId));
    expect(expiry.expiredMinor).toBe(2000);
    expect(await balanceOf(userId)).toBe(0);
    expect(await rechargesOf(userId)).toEqual([]);
  });

  it("an admin voiding promotional credit queues no recharge", async () => {
    const { userId, grantId } = await promotionalUser(null, new Date());
    const admin = { id: `admin-${randomUUID()}`, email: "admin@example.test" };
    expect(await voidPromotionalGrant(admin, { grantId, reason: "Granted by mistake" })).toMatchObject({ voidedMinor: 2000, balanceMinor: 0 });
    expect(await rechargesOf(userId)).toEqual([]);
  });

  it("a spend or a reservation that takes it below the threshold still queues one, up to the target", async () => {
    const spent = await promotionalUser(null, new Date());
    await db().$transaction((tx) => debit(tx, { userId: spent.userId, currency: "GBP", amountMinor: 1600, type: "USAGE", idempotencyKey: usageKey(spent.userId, randomUUID()) })); // £4.00 left
    expect((await rechargesOf(spent.userId)).map((recharge) => recharge.amountMinor)).toEqual([1600]); // back to £20.00

    const held = await promotionalUser(null, new Date());
    await db().$transaction((tx) =>
      reserve(tx, { userId: held.userId, currency: "GBP", amountMinor: 1700, ttlSeconds: 600, idempotencyKey: reservationKey(held.userId, randomUUID()) }),
    ); // £3.00 available
    expect((await rechargesOf(held.userId)).map((recharge) => recharge.amountMinor)).toEqual([1700]);
  });

  it("turned on while a dispute keeps the balance below zero, recharges up to the target from zero, never by the debt", async () => {
    const p = await paidTopUpWithAutoRecharge();
    await db().$transaction((tx) => debit(tx, { userId: p.userId, currency: "GBP", amountMinor: 1000, type: "USAGE", idempotencyKey: usageKey(p.userId, randomUUID()) })); // £10.00 left
    expect(await rechargesOf(p.userId)).toEqual([]);
    expect((await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")))).outcome).toBe("processed");
    expect(await balanceOf(p.userId)).toBe(-1000); // −£10.00: the £20.00 held, £10.00 of it already spent
    // Turned off and on again while negative: at most the target, never the target plus the debt.
    await db().autoRecharge.updateMany({ where: { wallet: { userId: p.userId } }, data: { enabled: false } });
    const { updateAutoRecharge } = await import("./settings");
    await updateAutoRecharge(p.userId, { enabled: true, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 10_000 });
    expect((await rechargesOf(p.userId)).map((recharge) => recharge.amountMinor)).toEqual([2000]); // £20.00, not £30.00
  });

  it("leaves the ledger's invariants holding", async () => {
    expect((await findLedgerViolations()).violations).toEqual([]);
  });
});
