import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { credit, debit } from "./ledger";
import { findLedgerViolations } from "./invariants";

// The same check also runs once after the whole suite (test/vitest-global-setup.ts teardown).
// Here it covers every wallet other test files have written so far: a snapshot read, valid mid-run.
describe("ledger invariants across the database", () => {
  it("every wallet's balance equals the sum of its entries, and the entries chain", async () => {
    const user = await db().user.create({ data: { email: `invariants-${randomUUID()}@example.test` } });
    await db().$transaction(async (tx) => {
      await credit(tx, { userId: user.id, currency: "GBP", amountMinor: 700, type: "ADJUSTMENT", idempotencyKey: `inv:${user.id}:1` }); // £7.00
      await debit(tx, { userId: user.id, currency: "GBP", amountMinor: 200, type: "USAGE", idempotencyKey: `inv:${user.id}:2` }); // £2.00
    });
    const { walletsChecked, violations } = await findLedgerViolations();
    expect(violations).toEqual([]);
    expect(walletsChecked).toBeGreaterThanOrEqual(1);
  });

  it("notices a wallet whose balance was written behind the ledger's back", async () => {
    const user = await db().user.create({ data: { email: `tampered-${randomUUID()}@example.test` } });
    const wallet = await db().wallet.create({ data: { userId: user.id, currency: "GBP", balanceMinor: 100 } }); // £1.00 with no entries
    try {
      const { violations } = await findLedgerViolations();
      expect(violations).toContainEqual({ walletId: wallet.id, problem: "balance 100 but entries sum to 0" });
    } finally {
      await db().wallet.delete({ where: { id: wallet.id } });
    }
  });
});
