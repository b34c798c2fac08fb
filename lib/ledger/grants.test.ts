import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { credit, debit } from "./ledger";
import { expireDueGrants, expireGrant } from "./expiry";
import { findLedgerViolations } from "./invariants";

// Grants against the real Postgres: the order money leaves them, expiry exactly once, and the
// negative-balance policy when a refund is larger than what is left of its payment's grant.

const DAY = 24 * 60 * 60 * 1000;

async function newUser() {
  return db().user.create({ data: { email: `grants-${randomUUID()}@example.test` } });
}

function creditOf(userId: string, amountMinor: number, options: Partial<Parameters<typeof credit>[1]> = {}) {
  return db().$transaction((tx) =>
    credit(tx, { userId, currency: "GBP", amountMinor, type: "TOPUP", idempotencyKey: `grants-test:${randomUUID()}`, ...options }),
  );
}

function spend(userId: string, amountMinor: number) {
  return db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor, type: "USAGE", idempotencyKey: `grants-spend:${randomUUID()}` }));
}

async function grantsOf(userId: string) {
  return db().creditGrant.findMany({ where: { wallet: { userId } }, include: { draws: true }, orderBy: { createdAt: "asc" } });
}

async function balanceOf(userId: string) {
  return (await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } })).balanceMinor;
}

describe("credit grants", () => {
  it("spends across three grants in the order priority, soonest expiry, oldest, and records every draw", async () => {
    const user = await newUser();
    const now = Date.now();
    // Created in the opposite of the order they are drawn in.
    const paid = await creditOf(user.id, 1000); // £10.00 paid top-up: priority 50, never expires
    const laterPromo = await creditOf(user.id, 300, { type: "PROMOTIONAL", grant: { expiresAt: new Date(now + 30 * DAY) } }); // £3.00, priority 10
    const soonerPromo = await creditOf(user.id, 200, { type: "PROMOTIONAL", grant: { expiresAt: new Date(now + 2 * DAY) } }); // £2.00, priority 10

    const first = await spend(user.id, 400); // £4.00: all of the sooner promo (£2), then £2 of the later one
    const second = await spend(user.id, 300); // £3.00: the later promo's last £1, then £2 of the paid grant

    const grants = new Map((await grantsOf(user.id)).map((grant) => [grant.entryId, grant]));
    const drawsBy = (entryId: string) =>
      [...grants.values()].flatMap((grant) => grant.draws.filter((draw) => draw.entryId === entryId).map((draw) => [grant.entryId, draw.amountMinor]));
    expect(drawsBy(first.entry.id)).toEqual(expect.arrayContaining([[soonerPromo.entry.id, 200], [laterPromo.entry.id, 200]]));
    expect(drawsBy(first.entry.id)).toHaveLength(2);
    expect(drawsBy(second.entry.id)).toEqual(expect.arrayContaining([[laterPromo.entry.id, 100], [paid.entry.id, 200]]));
    expect(drawsBy(second.entry.id)).toHaveLength(2);
    expect(grants.get(soonerPromo.entry.id)?.remainingMinor).toBe(0);
    expect(grants.get(laterPromo.entry.id)?.remainingMinor).toBe(0);
    expect(grants.get(paid.entry.id)?.remainingMinor).toBe(800);
    expect(await balanceOf(user.id)).toBe(800);
  });

  it("breaks a priority tie by the oldest grant when neither expires", async () => {
    const user = await newUser();
    const older = await creditOf(user.id, 100);
    const newer = await creditOf(user.id, 100);
    await spend(user.id, 150);
    const grants = new Map((await grantsOf(user.id)).map((grant) => [grant.entryId, grant.remainingMinor]));
    expect(grants.get(older.entry.id)).toBe(0);
    expect(grants.get(newer.entry.id)).toBe(50);
  });

  it("expires a grant once however many times the expiry runs, including concurrently", async () => {
    const user = await newUser();
    const granted = await creditOf(user.id, 500, { type: "PROMOTIONAL", grant: { expiresAt: new Date(Date.now() - 1000) } }); // £5.00, already due
    await creditOf(user.id, 700); // £7.00 that never expires
    await spend(user.id, 200); // £2.00 from the promotional grant first
    const grant = (await grantsOf(user.id)).find((g) => g.entryId === granted.entry.id);
    if (!grant) throw new Error("grant missing");

    const runs = await Promise.all([
      db().$transaction((tx) => expireGrant(tx, grant.id)),
      db().$transaction((tx) => expireGrant(tx, grant.id)),
      db().$transaction((tx) => expireGrant(tx, grant.id)),
    ]);
    expect(runs.map((run) => run.expiredMinor).sort()).toEqual([0, 0, 300]);
    await expireDueGrants(new Date());
    await expireDueGrants(new Date());

    const expiries = await db().ledgerEntry.findMany({ where: { wallet: { userId: user.id }, type: "EXPIRY" } });
    expect(expiries.map((entry) => entry.amountMinor)).toEqual([-300]);
    expect(await balanceOf(user.id)).toBe(700);
    const after = (await grantsOf(user.id)).find((g) => g.id === grant.id);
    expect(after).toMatchObject({ remainingMinor: 0, expiredAt: expect.any(Date) });
    expect(after?.draws.map((draw) => draw.amountMinor).sort((a, b) => a - b)).toEqual([200, 300]);
  });

  it("rolls a plan grant over once up to its cap, then expires the rest", async () => {
    const user = await newUser();
    const periodEnd = new Date(Date.now() - 1000);
    const granted = await creditOf(user.id, 1000, { type: "PLAN_GRANT", grant: { expiresAt: periodEnd, rolloverCapMinor: 400 } }); // £10.00, £4.00 rolls over
    await spend(user.id, 100);
    const grant = (await grantsOf(user.id))[0];
    if (!grant || grant.entryId !== granted.entry.id) throw new Error("grant missing");

    const first = await db().$transaction((tx) => expireGrant(tx, grant.id));
    expect(first).toMatchObject({ expiredMinor: 500, rolledOverMinor: 400 });
    expect(await balanceOf(user.id)).toBe(400);
    const rolled = await db().creditGrant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(rolled.expiresAt?.getTime()).toBeGreaterThan(periodEnd.getTime());
    expect(await db().$transaction((tx) => expireGrant(tx, grant.id))).toMatchObject({ expiredMinor: 0, rolledOverMinor: 0 });

    const final = await db().$transaction((tx) => expireGrant(tx, grant.id, new Date(rolled.expiresAt!.getTime() + 1)));
    expect(final).toMatchObject({ expiredMinor: 400, rolledOverMinor: 0 });
    expect(await balanceOf(user.id)).toBe(0);
  });

  it("takes a refund from its own payment's grant first, then other paid, then promotional credit, then the balance goes negative", async () => {
    const user = await newUser();
    const purchaseId = `purchase-${randomUUID()}`;
    await creditOf(user.id, 1000, { purchaseId }); // £10.00 from the refunded payment
    await creditOf(user.id, 300); // £3.00 from another payment
    await creditOf(user.id, 200, { type: "PROMOTIONAL" }); // £2.00 given
    await spend(user.id, 900); // £9.00: promotional £2 first, then £7 of the oldest paid (the refunded payment's)

    const refund = await db().$transaction((tx) =>
      debit(tx, { userId: user.id, currency: "GBP", amountMinor: 1000, type: "REFUND", idempotencyKey: `refund:${randomUUID()}`, purchaseId }),
    );
    // Its own grant had £3 left; the other paid grant gives its £3; the remaining £4 is owed.
    expect(refund.entry.balanceAfterMinor).toBe(-400);
    const grants = await grantsOf(user.id);
    expect(grants.every((grant) => grant.remainingMinor === 0)).toBe(true);
    const refundDraws = grants.flatMap((grant) => grant.draws.filter((draw) => draw.entryId === refund.entry.id).map((draw) => [grant.purchaseId, draw.amountMinor]));
    expect(refundDraws).toEqual(expect.arrayContaining([[purchaseId, 300], [null, 300]]));
    expect(refundDraws).toHaveLength(2);

    // The negative-balance policy: spending is blocked with its own code until a top-up repays it.
    await expect(spend(user.id, 1)).rejects.toMatchObject({ code: "balance_negative", status: 402 });
    const repaid = await creditOf(user.id, 500); // £5.00: £4 repays the debt, £1 is spendable
    const repayingGrant = (await grantsOf(user.id)).find((grant) => grant.entryId === repaid.entry.id);
    expect(repayingGrant).toMatchObject({ amountMinor: 500, remainingMinor: 100 });
    expect(repayingGrant?.draws).toMatchObject([{ entryId: repaid.entry.id, amountMinor: 400 }]);
    await spend(user.id, 100);
    expect(await balanceOf(user.id)).toBe(0);
  });

  it("keeps the grants a breakdown of the balance under concurrent spends and credits", async () => {
    const user = await newUser();
    await creditOf(user.id, 2000);
    await Promise.allSettled([
      ...Array.from({ length: 20 }, () => spend(user.id, 150)),
      ...Array.from({ length: 5 }, () => creditOf(user.id, 100, { type: "PROMOTIONAL" })),
    ]);
    const grants = await grantsOf(user.id);
    const remaining = grants.reduce((sum, grant) => sum + grant.remainingMinor, 0);
    expect(remaining).toBe(await balanceOf(user.id));
    expect((await findLedgerViolations()).violations).toEqual([]);
  });
});
