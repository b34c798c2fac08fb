import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { credit, debit, expireGrant, usageKey, voidGrant } from "./";
import { getNegativeBalance, getUpcomingExpiries, listUserGrantsForAdmin, listWalletGrants } from "./grant-views";

// What /wallet and the admin user page show of a wallet's grants, against real Postgres.

const DAY = 86_400_000;

async function newUser() {
  return db().user.create({ data: { email: `grant-view-${randomUUID()}@example.test` } });
}

function give(
  userId: string,
  amountMinor: number,
  type: "TOPUP" | "PROMOTIONAL" | "PLAN_GRANT",
  grant: { expiresAt?: Date | null; rolloverCapMinor?: number | null } = {},
  purchaseId?: string,
  description?: string,
) {
  return db().$transaction(async (tx) => {
    const { entry } = await credit(tx, { userId, currency: "GBP", amountMinor, type, idempotencyKey: `test:${randomUUID()}`, grant, purchaseId: purchaseId ?? null, description });
    return tx.creditGrant.findUniqueOrThrow({ where: { entryId: entry.id } });
  });
}

const take = (userId: string, amountMinor: number, type: "USAGE" | "REFUND" = "USAGE", purchaseId?: string) =>
  db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor, type, idempotencyKey: usageKey(userId, randomUUID()), description: type === "REFUND" ? "Refund" : null, purchaseId: purchaseId ?? null }));

describe("listWalletGrants", () => {
  it("lists active grants in spend order, then finished ones with what became of them", async () => {
    const user = await newUser();
    const now = Date.now();
    const topUp = await give(user.id, 2000, "TOPUP"); // £20.00, paid, never expires
    const soon = await give(user.id, 300, "PROMOTIONAL", { expiresAt: new Date(now + 2 * DAY) }); // £3.00
    const later = await give(user.id, 500, "PROMOTIONAL", { expiresAt: new Date(now + 9 * DAY) }); // £5.00
    const spent = await give(user.id, 100, "PROMOTIONAL", { expiresAt: new Date(now + 1 * DAY) }); // £1.00, spent first (soonest)
    const voided = await give(user.id, 400, "PROMOTIONAL"); // £4.00
    const expired = await give(user.id, 250, "PROMOTIONAL", { expiresAt: new Date(now + 3 * DAY) }); // £2.50
    await take(user.id, 100); // uses up `spent`
    const admin = await db().user.create({ data: { email: `grant-view-admin-${randomUUID()}@example.test`, role: "ADMIN" } });
    await db().$transaction((tx) => voidGrant(tx, { grantId: voided.id, reason: "Duplicate promo", adminId: admin.id }));
    await db().$transaction((tx) => expireGrant(tx, expired.id, new Date(now + 4 * DAY)));
    // The sweep also marks `spent` expired on its date, with nothing left: it still reads as used up.
    await db().$transaction((tx) => expireGrant(tx, spent.id, new Date(now + 4 * DAY)));

    const grants = await listWalletGrants(user.id, "GBP");
    expect(grants.map((grant) => [grant.id, grant.state])).toEqual([
      [soon.id, "active"],
      [later.id, "active"],
      [topUp.id, "active"],
      [expired.id, "expired"],
      [voided.id, "voided"],
      [spent.id, "used_up"],
    ]);
    expect(grants.find((grant) => grant.id === voided.id)).toMatchObject({ voidReason: "Duplicate promo", remainingMinor: 0, amountMinor: 400, drawCount: 1 });
    expect(grants.find((grant) => grant.id === topUp.id)).toMatchObject({ category: "paid", source: "topup", remainingMinor: 2000, expiresAt: null });
    expect(await listWalletGrants(user.id, "GBP", { pastLimit: 1 })).toHaveLength(4);
    expect((await listUserGrantsForAdmin(user.id)).map((grant) => grant.id)).toEqual([expired.id, voided.id, spent.id, later.id, soon.id, topUp.id]);
    expect(await listWalletGrants(user.id, "EUR")).toEqual([]);
  });
});

describe("grant labels", () => {
  it("calls plan credit plan credit, with the plan's name, never promotional; other grants keep their source and kind", async () => {
    const user = await newUser();
    // As lib/billing/invoices.ts grants it for a paid Team invoice.
    const plan = await give(user.id, 4000, "PLAN_GRANT", {}, undefined, "Team plan credit (invoice BF-0007)"); // £40.00
    const unnamed = await give(user.id, 1000, "PLAN_GRANT"); // £10.00, from before plan credit named its plan
    const promo = await give(user.id, 500, "PROMOTIONAL"); // £5.00
    const topUp = await give(user.id, 2000, "TOPUP"); // £20.00
    const labels = async (grants: Awaited<ReturnType<typeof listWalletGrants>>) =>
      Object.fromEntries(grants.map((grant) => [grant.id, [grant.sourceLabel, grant.kindLabel]]));
    const expected = {
      [plan.id]: ["Team plan credit", "Plan credit"],
      [unnamed.id]: ["Plan credit", "Plan credit"],
      [promo.id]: ["Promotional credit", "Promotional"],
      [topUp.id]: ["Top-up", "Paid"],
    };
    expect(await labels(await listWalletGrants(user.id, "GBP"))).toEqual(expected);
    expect(await labels(await listUserGrantsForAdmin(user.id))).toEqual(expected);
  });
});

describe("getUpcomingExpiries", () => {
  it("sums what leaves in the next 30 days, soonest first, less what a plan grant rolls over", async () => {
    const user = await newUser();
    const now = new Date();
    const plan = await give(user.id, 4000, "PLAN_GRANT", { expiresAt: new Date(now.getTime() + 20 * DAY), rolloverCapMinor: 2000 }); // £40.00, £20.00 rolls over
    const promo = await give(user.id, 500, "PROMOTIONAL", { expiresAt: new Date(now.getTime() + 5 * DAY) }); // £5.00
    await give(user.id, 700, "PROMOTIONAL", { expiresAt: new Date(now.getTime() + 45 * DAY) }); // beyond 30 days
    await give(user.id, 900, "TOPUP"); // never expires
    const allRolled = await give(user.id, 1000, "PLAN_GRANT", { expiresAt: new Date(now.getTime() + 3 * DAY), rolloverCapMinor: 2000 }); // all of it rolls over
    await take(user.id, 200); // £2.00 from the promo (lowest priority number first)

    const upcoming = await getUpcomingExpiries(user.id, "GBP", { now });
    expect(upcoming.expiries).toEqual([
      expect.objectContaining({ grantId: promo.id, expiringMinor: 300, rollingOverMinor: 0 }),
      expect.objectContaining({ grantId: plan.id, expiringMinor: 2000, rollingOverMinor: 2000 }),
    ]);
    expect(upcoming.totalMinor).toBe(2300); // £23.00
    expect(upcoming.expiries.some((expiry) => expiry.grantId === allRolled.id)).toBe(false);
  });
});

describe("getNegativeBalance", () => {
  it("names the refund that took the balance below zero; nothing while it is zero or more", async () => {
    const user = await newUser();
    expect(await getNegativeBalance(user.id, "GBP")).toBeNull();
    const purchase = await db().purchase.create({ data: { userId: user.id, amountMinor: 500, currency: "GBP", checkoutSessionId: `cs_test_${randomUUID()}` } });
    await give(user.id, 500, "TOPUP", {}, purchase.id); // £5.00
    await take(user.id, 400); // £4.00 spent
    expect(await getNegativeBalance(user.id, "GBP")).toBeNull();
    await take(user.id, 500, "REFUND", purchase.id); // the whole £5.00 refunded
    const negative = await getNegativeBalance(user.id, "GBP");
    expect(negative).toMatchObject({ balanceMinor: -400, cause: { type: "REFUND", amountMinor: -500, description: "Refund" } });

    await give(user.id, 1000, "TOPUP"); // repays the £4.00 first
    expect(await getNegativeBalance(user.id, "GBP")).toBeNull();
  });
});
