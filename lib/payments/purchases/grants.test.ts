// Next.js puts AsyncLocalStorage on globalThis before anything else loads (see test/next-request.ts).
import "next/dist/server/node-environment-baseline";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../../core/db";
import { credit, debit, usageKey } from "../../ledger";
import { checkoutSession, createPendingPurchase, dispute, refund, refundedCharge, stripeEvent, walletState, webhookRoute, type JsonObject, type TestPurchase } from "@/test/webhook-events";

// Refunds and disputes against grants, through the real webhook route and Postgres: the money a
// payment brought in leaves from that payment's own grant first, then other paid credit, then
// promotional credit, then the balance goes negative (NEGATIVE_BALANCE_POLICY), which blocks spending
// until a top-up repays it. charge.dispute.funds_reinstated puts a hold back once.

const webhook = await webhookRoute({ secret: "whsec_test_purchase_grants_0123456789" });
// After the secret is set: the session helpers load the env module, which reads it once.
const { callRoute, sessionCookie } = await import("@/test/next-request");
const { POST: usagePOST } = await import("@/app/api/usage/route");

const deliver = (event: JsonObject): Promise<string> => webhook.outcome(event);

const testId = (prefix: string) => `${prefix}_test_${randomUUID().replaceAll("-", "").slice(0, 24)}`;

/** Another pending top-up for the same user, as a second Checkout would leave it. */
async function anotherPurchase(p: TestPurchase, amountMinor: number): Promise<TestPurchase> {
  const checkoutSessionId = testId("cs");
  const purchase = await db().purchase.create({ data: { userId: p.userId, packKey: "starter", amountMinor, currency: "GBP", checkoutSessionId } });
  return { purchase, userId: p.userId, checkoutSessionId, paymentIntentId: testId("pi"), chargeId: testId("ch") };
}

async function paid(p: TestPurchase): Promise<TestPurchase> {
  expect(await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).toBe("processed");
  return p;
}

function grantOf(p: TestPurchase) {
  return db().creditGrant.findFirstOrThrow({ where: { purchaseId: p.purchase.id, source: "topup" } });
}

/** Promotional credit drawn after paid credit when spending (priority 60), so a spend leaves it for the refund to take. */
async function promotional(userId: string, amountMinor: number) {
  const { entry } = await db().$transaction((tx) =>
    credit(tx, { userId, currency: "GBP", amountMinor, type: "PROMOTIONAL", idempotencyKey: `promotional:${randomUUID()}`, grant: { priority: 60 } }),
  );
  return db().creditGrant.findUniqueOrThrow({ where: { entryId: entry.id } });
}

const spendDirectly = (userId: string, amountMinor: number) =>
  db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor, type: "USAGE", idempotencyKey: usageKey(userId, randomUUID()) }));

async function spendThroughApi(userId: string, amountMinor: number) {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  const request = new Request("http://localhost/api/usage", {
    method: "POST",
    headers: { "content-type": "application/json", cookie: await sessionCookie(user) },
    body: JSON.stringify({ amountMinor, description: "Model call", idempotencyKey: randomUUID() }),
  });
  const response = await callRoute(usagePOST, request);
  return { status: response.status, body: await response.json() };
}

/** Each draw of the entry with this idempotency key, as [grant id, amount]. */
async function drawsOf(idempotencyKey: string) {
  const entry = await db().ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey }, include: { draws: { orderBy: { createdAt: "asc" } } } });
  return entry.draws.map((draw) => [draw.grantId, draw.amountMinor]);
}

const refundEvent = (p: TestPurchase, r: JsonObject) => stripeEvent("charge.refunded", refundedCharge(p, [r]));

describe("refunds against grants", () => {
  it("a refund of an unspent top-up takes exactly its own grant, whatever else the wallet holds", async () => {
    const first = await paid(await createPendingPurchase(1000)); // £10.00
    const second = await paid(await anotherPurchase(first, 2000)); // £20.00
    const promo = await promotional(first.userId, 500); // £5.00
    const r = refund(second, 2000);
    await Promise.all([deliver(refundEvent(second, r)), deliver(refundEvent(second, r))]);

    expect(await drawsOf(`refund:${r.id}`)).toEqual([[(await grantOf(second)).id, 2000]]);
    expect((await grantOf(second)).remainingMinor).toBe(0);
    expect((await grantOf(first)).remainingMinor).toBe(1000);
    expect((await db().creditGrant.findUniqueOrThrow({ where: { id: promo.id } })).remainingMinor).toBe(500);
    expect((await walletState(first.userId)).balanceMinor).toBe(1500); // £15.00
  });

  it("a refund larger than its grant's remainder takes other paid credit, then promotional, then goes negative; spending is refused until a top-up repays the debt first", async () => {
    const first = await paid(await createPendingPurchase(1000)); // £10.00
    const second = await paid(await anotherPurchase(first, 500)); // £5.00
    const promo = await promotional(first.userId, 300); // £3.00, spent after paid credit
    await spendDirectly(first.userId, 900); // £9.00, all from the first top-up (the oldest paid grant)
    expect((await grantOf(first)).remainingMinor).toBe(100);

    const r = refund(first, 1000); // the whole £10.00 goes back to the card
    expect(await deliver(refundEvent(first, r))).toBe("processed");
    expect(await drawsOf(`refund:${r.id}`)).toEqual([
      [(await grantOf(first)).id, 100], // its own grant's £1.00 first
      [(await grantOf(second)).id, 500], // then other paid credit
      [promo.id, 300], // then promotional credit
    ]);
    expect((await walletState(first.userId)).balanceMinor).toBe(-100); // £1.00 short

    const refused = await spendThroughApi(first.userId, 50); // £0.50
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("balance_negative");

    const third = await paid(await anotherPurchase(first, 2000)); // £20.00
    const repaid = await grantOf(third);
    expect(repaid).toMatchObject({ amountMinor: 2000, remainingMinor: 1900 }); // £20.00 less the £1.00 debt
    expect((await walletState(first.userId)).balanceMinor).toBe(1900);
    const spent = await spendThroughApi(first.userId, 50);
    expect(spent.status).toBe(201);
    expect(spent.body.balanceMinor).toBe(1850);
  });
});

describe("disputes against grants, and charge.dispute.funds_reinstated", () => {
  it("a dispute of a spent top-up goes negative; its funds reinstated put the hold back once, however often and with a won close", async () => {
    const p = await paid(await createPendingPurchase(1000)); // £10.00
    await spendDirectly(p.userId, 600); // £6.00
    await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")));
    expect((await walletState(p.userId)).balanceMinor).toBe(-600);
    expect((await spendThroughApi(p.userId, 50)).body.error.code).toBe("balance_negative");

    const reinstated = stripeEvent("charge.dispute.funds_reinstated", dispute(p, "won"));
    const closed = stripeEvent("charge.dispute.closed", dispute(p, "won"));
    await Promise.all([deliver(reinstated), deliver(reinstated)]); // a duplicate delivery
    expect((await walletState(p.userId)).balanceMinor).toBe(400); // the hold is back on its own, before any close
    // The won close (which releases under the same key) with another reinstatement, together, then again.
    await Promise.all([deliver(closed), deliver(stripeEvent("charge.dispute.funds_reinstated", dispute(p, "won")))]);
    await deliver(closed);

    const state = await walletState(p.userId);
    expect(state.entries.filter((entry) => entry.type === "DISPUTE_RELEASE").map((entry) => entry.amountMinor)).toEqual([1000]);
    expect(state.balanceMinor).toBe(400); // £10.00 − £6.00 spent: the release repaid the £6.00 first
    const release = await db().creditGrant.findFirstOrThrow({ where: { purchaseId: p.purchase.id, source: "dispute_release" } });
    expect(release).toMatchObject({ category: "paid", amountMinor: 1000, remainingMinor: 400 });
    expect(await db().purchase.findUniqueOrThrow({ where: { id: p.purchase.id } })).toMatchObject({ disputeStatus: "won", disputedMinor: 1000 });
  });

  it("funds reinstated that arrive before the dispute's creation hold and release once, net nothing", async () => {
    const p = await paid(await createPendingPurchase(500)); // £5.00
    expect(await deliver(stripeEvent("charge.dispute.funds_reinstated", dispute(p, "won")))).toBe("processed");
    await deliver(stripeEvent("charge.dispute.created", dispute(p, "needs_response")));
    await deliver(stripeEvent("charge.dispute.closed", dispute(p, "won")));
    const state = await walletState(p.userId);
    expect(state.entries.map((entry) => [entry.type, entry.amountMinor])).toEqual([
      ["TOPUP", 500],
      ["DISPUTE_HOLD", -500],
      ["DISPUTE_RELEASE", 500],
    ]);
    expect(state.balanceMinor).toBe(500);
  });
});
