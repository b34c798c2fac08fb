import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { InsufficientFundsError } from "../core/errors";
import { credit, debit, reverse } from "./ledger";

// The ledger's invariants, under real concurrency against the real Postgres.

async function newUser() {
  return db().user.create({ data: { email: `ledger-${randomUUID()}@example.test` } });
}

async function topUp(userId: string, amountMinor: number) {
  return db().$transaction((tx) =>
    credit(tx, { userId, currency: "GBP", amountMinor, type: "TOPUP", idempotencyKey: `test-topup:${randomUUID()}` }),
  );
}

async function walletOf(userId: string) {
  const wallet = await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } });
  const sum = await db().ledgerEntry.aggregate({ where: { walletId: wallet.id }, _sum: { amountMinor: true } });
  const entries = await db().ledgerEntry.findMany({ where: { walletId: wallet.id }, orderBy: { balanceAfterMinor: "asc" } });
  return { balanceMinor: wallet.balanceMinor, sumOfEntriesMinor: sum._sum.amountMinor ?? 0, entries };
}

describe("ledger", () => {
  it("lets exactly 10 of 20 concurrent debits through a balance enough for 10, never going negative", async () => {
    const user = await newUser();
    await topUp(user.id, 1000); // £10.00
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db().$transaction((tx) =>
          debit(tx, { userId: user.id, currency: "GBP", amountMinor: 100, type: "USAGE", idempotencyKey: `usage:${user.id}:${i}` }), // £1.00
        ),
      ),
    );
    const succeeded = attempts.filter((attempt) => attempt.status === "fulfilled");
    const refused = attempts.filter((attempt) => attempt.status === "rejected");
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const attempt of refused) expect(attempt.reason).toBeInstanceOf(InsufficientFundsError);

    const wallet = await walletOf(user.id);
    expect(wallet.balanceMinor).toBe(0);
    expect(wallet.sumOfEntriesMinor).toBe(0);
    expect(wallet.entries.every((entry) => entry.balanceAfterMinor >= 0)).toBe(true);
    // Every running balance 0..1000 in steps of 100 appears once: the debits really queued up.
    expect(wallet.entries.map((entry) => entry.balanceAfterMinor)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it("keeps the balance equal to the sum of entries through concurrent credits and debits", async () => {
    const user = await newUser();
    await topUp(user.id, 500); // £5.00
    await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        db().$transaction((tx) =>
          i % 3 === 0
            ? credit(tx, { userId: user.id, currency: "GBP", amountMinor: 250, type: "ADJUSTMENT", idempotencyKey: `mix:${user.id}:${i}` }) // £2.50
            : debit(tx, { userId: user.id, currency: "GBP", amountMinor: 175, type: "USAGE", idempotencyKey: `mix:${user.id}:${i}` }), // £1.75
        ),
      ),
    );
    const wallet = await walletOf(user.id);
    expect(wallet.balanceMinor).toBe(wallet.sumOfEntriesMinor);
    expect(wallet.balanceMinor).toBeGreaterThanOrEqual(0);
    // The entries form one chain: each starts from the balance another left (the first from 0) and
    // the last ends at the wallet's balance, so no two writers ever read the same balance.
    const startsFrom = wallet.entries.map((entry) => entry.balanceAfterMinor - entry.amountMinor).sort((a, b) => a - b);
    const endsAt = [0, ...wallet.entries.map((entry) => entry.balanceAfterMinor)];
    endsAt.splice(endsAt.indexOf(wallet.balanceMinor), 1);
    expect(startsFrom).toEqual(endsAt.sort((a, b) => a - b));
    expect(wallet.entries.length).toBeGreaterThan(10);
  });

  it("returns applied:false with the original entry when an idempotency key is replayed, changing nothing", async () => {
    const user = await newUser();
    const key = `replay:${randomUUID()}`;
    const first = await db().$transaction((tx) =>
      credit(tx, { userId: user.id, currency: "GBP", amountMinor: 2000, type: "TOPUP", idempotencyKey: key }), // £20.00
    );
    const replays = await Promise.all(
      Array.from({ length: 5 }, () =>
        db().$transaction((tx) => credit(tx, { userId: user.id, currency: "GBP", amountMinor: 2000, type: "TOPUP", idempotencyKey: key })),
      ),
    );
    expect(first.applied).toBe(true);
    for (const replay of replays) {
      expect(replay.applied).toBe(false);
      expect(replay.entry.id).toBe(first.entry.id);
    }
    const wallet = await walletOf(user.id);
    expect(wallet.balanceMinor).toBe(2000); // £20.00
    expect(wallet.entries).toHaveLength(1);
  });

  it("reverses an entry in part or in whole, once, and refuses to reverse more than the original", async () => {
    const user = await newUser();
    const original = await topUp(user.id, 1500); // £15.00
    const originalKey = original.entry.idempotencyKey;
    const partial = await db().$transaction((tx) =>
      reverse(tx, { originalIdempotencyKey: originalKey, idempotencyKey: `rev1:${originalKey}`, type: "REFUND", amountMinor: 500 }), // £5.00
    );
    expect(partial).toMatchObject({ applied: true, entry: { amountMinor: -500, balanceAfterMinor: 1000, type: "REFUND" } });
    const again = await db().$transaction((tx) =>
      reverse(tx, { originalIdempotencyKey: originalKey, idempotencyKey: `rev1:${originalKey}`, type: "REFUND", amountMinor: 500 }),
    );
    expect(again.applied).toBe(false);
    await expect(
      db().$transaction((tx) =>
        reverse(tx, { originalIdempotencyKey: originalKey, idempotencyKey: `rev2:${originalKey}`, type: "REFUND", amountMinor: 1600 }), // £16.00
      ),
    ).rejects.toThrow(/cannot exceed/);
    // An ADJUSTMENT reversal may not overdraw (£15.00 against £10.00); a REFUND may.
    await expect(
      db().$transaction((tx) => reverse(tx, { originalIdempotencyKey: originalKey, idempotencyKey: `rev3:${originalKey}`, type: "ADJUSTMENT" })),
    ).rejects.toBeInstanceOf(InsufficientFundsError);
    const whole = await db().$transaction((tx) =>
      reverse(tx, { originalIdempotencyKey: originalKey, idempotencyKey: `rev4:${originalKey}`, type: "REFUND" }),
    );
    expect(whole.entry).toMatchObject({ amountMinor: -1500, balanceAfterMinor: -500 });
    const wallet = await walletOf(user.id);
    expect(wallet.balanceMinor).toBe(-500); // -£5.00
    expect(wallet.sumOfEntriesMinor).toBe(-500);
  });
});
