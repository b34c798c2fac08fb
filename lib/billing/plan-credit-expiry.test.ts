import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { debit, usageKey } from "../ledger";
import { runCreditSweep } from "../usage/credit-sweep";
import { billingEmulatorForFile, deliverEvent, eventsAbout, linkedUser, subscribe } from "@/test/billing";

// A paid subscription invoice's plan credit is for its period: it expires at the period's end (the
// invoice line's), once however often the sweep runs, unless the plan rolls some of it over (Team:
// up to £20.00 for one more month, then that expires too). Against the emulator and real Postgres.

const billing = billingEmulatorForFile();
const SECOND = 1000;

async function subscribedWithCredit(lookupKey: string) {
  const { userId, customerId } = await linkedUser(billing.stripe);
  const subscription = await subscribe(billing.stripe, customerId, userId, lookupKey);
  for (const event of await eventsAbout(billing.stripe, [subscription.id, customerId])) await deliverEvent(event);
  const entry = await db().ledgerEntry.findFirstOrThrow({ where: { type: "PLAN_GRANT", wallet: { userId } } });
  const grant = await db().creditGrant.findUniqueOrThrow({ where: { entryId: entry.id } });
  const invoice = await db().invoice.findUniqueOrThrow({ where: { id: String(subscription.latest_invoice) } });
  const periodEnd = Math.min(...subscription.items.data.map((item) => item.current_period_end));
  return { userId, grant, invoice, periodEnd: new Date(periodEnd * SECOND) };
}

function expiries(userId: string) {
  return db().ledgerEntry.findMany({ where: { type: "EXPIRY", wallet: { userId } }, orderBy: { createdAt: "asc" } });
}

async function balanceOf(userId: string) {
  return (await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } })).balanceMinor;
}

describe("plan credit expiry", () => {
  it("a paid invoice's credit expires at its period end, once, however often the sweep runs", async () => {
    const { userId, grant, invoice, periodEnd } = await subscribedWithCredit("billfold_pro_monthly");
    expect(grant).toMatchObject({ source: "plan", category: "promotional", amountMinor: 1000, remainingMinor: 1000, rolloverCapMinor: null }); // £10.00
    expect(grant.expiresAt).toEqual(periodEnd);
    expect(grant.expiresAt).toEqual(invoice.periodEnd);
    await db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor: 300, type: "USAGE", idempotencyKey: usageKey(userId, randomUUID()) })); // £3.00

    await runCreditSweep({ now: new Date(periodEnd.getTime() - SECOND) }); // a second early: nothing
    expect(await expiries(userId)).toHaveLength(0);

    const after = new Date(periodEnd.getTime() + SECOND);
    await Promise.all([runCreditSweep({ now: after }), runCreditSweep({ now: after })]);
    await runCreditSweep({ now: new Date(periodEnd.getTime() + 40 * 86_400 * SECOND) });
    expect((await expiries(userId)).map((entry) => [entry.amountMinor, entry.idempotencyKey])).toEqual([[-700, `expiry:${grant.id}`]]); // the £7.00 left
    expect(await db().creditGrant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ remainingMinor: 0, expiredAt: after, rolledOverAt: null });
    expect(await balanceOf(userId)).toBe(0);
  });

  it("Team keeps up to £20.00 for one more month at the first expiry and expires the rest; the next expiry takes the remainder", async () => {
    const { userId, grant, periodEnd } = await subscribedWithCredit("billfold_team_monthly");
    expect(grant).toMatchObject({ amountMinor: 4000, rolloverCapMinor: 2000 }); // £40.00, £20.00 rolls over
    expect(grant.expiresAt).toEqual(periodEnd);
    await db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor: 500, type: "USAGE", idempotencyKey: usageKey(userId, randomUUID()) })); // £5.00

    const first = new Date(periodEnd.getTime() + SECOND);
    await runCreditSweep({ now: first });
    await runCreditSweep({ now: first });
    const nextEnd = new Date(periodEnd);
    nextEnd.setUTCMonth(nextEnd.getUTCMonth() + 1);
    expect((await expiries(userId)).map((entry) => [entry.amountMinor, entry.idempotencyKey])).toEqual([[-1500, `expiry:${grant.id}:rollover`]]); // £35.00 − £20.00
    expect(await db().creditGrant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ remainingMinor: 2000, rolledOverAt: first, expiredAt: null, expiresAt: nextEnd });
    expect(await balanceOf(userId)).toBe(2000);

    await runCreditSweep({ now: new Date(nextEnd.getTime() - SECOND) }); // not yet
    expect(await expiries(userId)).toHaveLength(1);
    const second = new Date(nextEnd.getTime() + SECOND);
    await Promise.all([runCreditSweep({ now: second }), runCreditSweep({ now: second })]);
    await runCreditSweep({ now: new Date(nextEnd.getTime() + 40 * 86_400 * SECOND) });
    expect((await expiries(userId)).map((entry) => [entry.amountMinor, entry.idempotencyKey])).toEqual([
      [-1500, `expiry:${grant.id}:rollover`],
      [-2000, `expiry:${grant.id}`], // the £20.00 that rolled over, once
    ]);
    expect(await db().creditGrant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ remainingMinor: 0, expiredAt: second });
    expect(await balanceOf(userId)).toBe(0);
  });
});
