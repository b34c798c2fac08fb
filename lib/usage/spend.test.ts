import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { InsufficientFundsError } from "../core/errors";
import { credit } from "../ledger";
import { seedPlans } from "../tooling/seed";
import { spendCredits } from "./spend";

async function userWithBalance(balanceMinor: number) {
  const user = await db().user.create({ data: { email: `spend-${randomUUID()}@example.test` } });
  if (balanceMinor > 0) {
    await db().$transaction((tx) =>
      credit(tx, { userId: user.id, currency: "GBP", amountMinor: balanceMinor, type: "ADJUSTMENT", idempotencyKey: `seed:${user.id}` }),
    );
  }
  return user;
}

describe("spendCredits", () => {
  it("debits once per key and replays the same result for a repeated key", async () => {
    const user = await userWithBalance(1000); // £10.00
    const first = await spendCredits(user.id, { amountMinor: 250, description: "API call", idempotencyKey: "call-0001" }); // £2.50
    const again = await spendCredits(user.id, { amountMinor: 250, description: "API call", idempotencyKey: "call-0001" });
    expect(first).toMatchObject({ balanceMinor: 750, replayed: false, currency: "GBP" });
    expect(again).toEqual({ ...first, replayed: true });
    const wallet = await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId: user.id, currency: "GBP" } } });
    expect(wallet.balanceMinor).toBe(750); // £7.50
  });

  it("refuses to overdraw with insufficient_funds and the current balance", async () => {
    const user = await userWithBalance(100); // £1.00
    const attempt = spendCredits(user.id, { amountMinor: 101, description: "Too much", idempotencyKey: "call-0002" });
    await expect(attempt).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(attempt).rejects.toMatchObject({ status: 402, details: { balanceMinor: 100, currency: "GBP" } });
    expect(await db().ledgerEntry.count({ where: { idempotencyKey: `usage:${user.id}:call-0002` } })).toBe(0);
  });

  it("rejects a key reused for a different amount, and keeps users' keys apart", async () => {
    const alice = await userWithBalance(1000);
    const bob = await userWithBalance(1000);
    await spendCredits(alice.id, { amountMinor: 100, description: "One", idempotencyKey: "shared-key" });
    await expect(spendCredits(alice.id, { amountMinor: 200, description: "Two", idempotencyKey: "shared-key" })).rejects.toMatchObject({
      code: "idempotency_key_reused",
      status: 409,
    });
    const bobs = await spendCredits(bob.id, { amountMinor: 100, description: "One", idempotencyKey: "shared-key" });
    expect(bobs).toMatchObject({ balanceMinor: 900, replayed: false });
  });

  it("holds the plan's monthly spend limit (Free: £100.00), also when spends race", async () => {
    await seedPlans(db(), "GBP");
    const user = await userWithBalance(30_000); // £300.00
    const spends = Array.from({ length: 12 }, (_, index) =>
      spendCredits(user.id, { amountMinor: 1500, description: "Racing spend", idempotencyKey: `race-${index}` }), // £15.00 each
    );
    const results = await Promise.allSettled(spends);
    const refused = results.filter((result) => result.status === "rejected");
    expect(results.length - refused.length).toBe(6); // 6 × £15.00 = £90.00; a 7th would pass £100.00
    for (const result of refused) expect(result.status === "rejected" && result.reason).toMatchObject({ code: "spend_limit_reached", status: 402 });
    await expect(spendCredits(user.id, { amountMinor: 1000, description: "Exactly to the limit", idempotencyKey: "to-limit" })).resolves.toMatchObject({
      balanceMinor: 30_000 - 10_000,
    });
    await expect(spendCredits(user.id, { amountMinor: 1, description: "One penny over", idempotencyKey: "over" })).rejects.toMatchObject({
      code: "spend_limit_reached",
      details: { limitMinor: 10_000, spentMinor: 10_000, currency: "GBP" },
    });
  });

  it("never overdraws when 64 spends race for a wallet that can pay for 40", async () => {
    const user = await userWithBalance(4000); // £40.00
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, (_, index) => spendCredits(user.id, { amountMinor: 100, description: "Racing", idempotencyKey: `drain-${index}` })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(40);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toBeInstanceOf(InsufficientFundsError);
    const wallet = await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId: user.id, currency: "GBP" } }, include: { entries: true } });
    expect(wallet.balanceMinor).toBe(0);
    expect(wallet.entries.reduce((sum, entry) => sum + entry.amountMinor, 0)).toBe(0);
    expect(wallet.usageInPeriodMinor).toBe(4000);
  });
});
