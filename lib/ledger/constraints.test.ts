import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "../core/db";

// The database itself refuses entries that break the money rules, whatever code writes them.
// These tests write entries behind the ledger's back, so their wallets' balances don't match their
// entries; they are removed afterwards, so the suite-wide invariant check only sees real wallets.
const createdWalletIds: string[] = [];

async function newWallet() {
  const user = await db().user.create({ data: { email: `wallet-${randomUUID()}@example.test` } });
  const wallet = await db().wallet.create({ data: { userId: user.id, currency: "GBP" } });
  createdWalletIds.push(wallet.id);
  return wallet;
}

afterEach(async () => {
  const walletIds = createdWalletIds.splice(0);
  await db().ledgerEntry.deleteMany({ where: { walletId: { in: walletIds } } });
  await db().wallet.deleteMany({ where: { id: { in: walletIds } } });
});

function entry(walletId: string, type: "TOPUP" | "USAGE" | "REFUND" | "DISPUTE_HOLD" | "ADJUSTMENT", amountMinor: number, balanceAfterMinor: number) {
  return db().ledgerEntry.create({ data: { walletId, type, amountMinor, balanceAfterMinor, idempotencyKey: randomUUID() } });
}

describe("ledger constraints", () => {
  it("rejects a usage debit that would leave the wallet negative", async () => {
    const wallet = await newWallet();
    await expect(entry(wallet.id, "USAGE", -100, -100)).rejects.toThrow(/LedgerEntry_no_overdraft_check/); // -£1.00
    await expect(entry(wallet.id, "ADJUSTMENT", -100, -100)).rejects.toThrow(/LedgerEntry_no_overdraft_check/);
  });

  it("allows refunds and dispute holds to go negative, since Stripe already took the money back", async () => {
    const wallet = await newWallet();
    await expect(entry(wallet.id, "REFUND", -500, -500)).resolves.toMatchObject({ balanceAfterMinor: -500 }); // -£5.00
    await expect(entry(wallet.id, "DISPUTE_HOLD", -500, -1000)).resolves.toMatchObject({ balanceAfterMinor: -1000 });
  });

  it("rejects an entry whose sign contradicts its type", async () => {
    const wallet = await newWallet();
    await expect(entry(wallet.id, "TOPUP", -500, 0)).rejects.toThrow(/LedgerEntry_amount_sign_check/);
    await expect(entry(wallet.id, "USAGE", 500, 500)).rejects.toThrow(/LedgerEntry_amount_sign_check/);
    await expect(entry(wallet.id, "ADJUSTMENT", 0, 0)).rejects.toThrow(/LedgerEntry_amount_sign_check/);
  });

  it("enforces one entry per idempotency key", async () => {
    const wallet = await newWallet();
    const key = randomUUID();
    await db().ledgerEntry.create({ data: { walletId: wallet.id, type: "TOPUP", amountMinor: 500, balanceAfterMinor: 500, idempotencyKey: key } });
    await expect(
      db().ledgerEntry.create({ data: { walletId: wallet.id, type: "TOPUP", amountMinor: 500, balanceAfterMinor: 1000, idempotencyKey: key } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("rejects a lower-case or malformed wallet currency", async () => {
    const user = await db().user.create({ data: { email: `currency-${randomUUID()}@example.test` } });
    await expect(db().wallet.create({ data: { userId: user.id, currency: "gbp" } })).rejects.toThrow(/Wallet_currency_check/);
  });
});
