import type pg from "pg";

// The checks a benchmark ends with, read straight from a database (Billfold's or the floor's,
// same schema), so they judge the result, not the code that produced it.

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export function check(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail };
}

/**
 * Every wallet's balance equals the sum of its entries, and the entries' balanceAfterMinor values
 * form one running total (each starts where another ended, the first at 0, the last at the
 * balance), as lib/ledger/invariants.ts checks them. Read in one snapshot.
 */
export async function checkLedgerInvariant(client: pg.ClientBase): Promise<Check[]> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    const wallets = (await client.query<{ id: string; balanceMinor: number }>(`SELECT "id", "balanceMinor" FROM "Wallet"`)).rows;
    const entries = (await client.query<{ walletId: string; amountMinor: number; balanceAfterMinor: number }>(`SELECT "walletId", "amountMinor", "balanceAfterMinor" FROM "LedgerEntry"`)).rows;
    const byWallet = new Map<string, typeof entries>();
    for (const entry of entries) {
      const list = byWallet.get(entry.walletId) ?? [];
      list.push(entry);
      byWallet.set(entry.walletId, list);
    }
    let sumMismatches = 0;
    let brokenChains = 0;
    for (const wallet of wallets) {
      const own = byWallet.get(wallet.id) ?? [];
      const sumMinor = own.reduce((sum, entry) => sum + entry.amountMinor, 0);
      if (sumMinor !== wallet.balanceMinor) {
        sumMismatches += 1;
        continue;
      }
      const startsFrom = own.map((entry) => entry.balanceAfterMinor - entry.amountMinor).sort((a, b) => a - b);
      const endsAt = [0, ...own.map((entry) => entry.balanceAfterMinor)];
      endsAt.splice(endsAt.indexOf(wallet.balanceMinor), 1);
      endsAt.sort((a, b) => a - b);
      if (startsFrom.some((value, index) => value !== endsAt[index])) brokenChains += 1;
    }
    const negative = wallets.filter((wallet) => wallet.balanceMinor < 0).length;
    return [
      check("each wallet's balance = sum of its entries", sumMismatches === 0, `${wallets.length} wallets, ${entries.length} entries, ${sumMismatches} mismatched`),
      check("balanceAfterMinor is each wallet's running total", brokenChains === 0, `${brokenChains} wallets with a broken chain`),
      check("no wallet below zero", negative === 0, `${negative} negative`),
    ];
  } finally {
    await client.query("COMMIT");
  }
}
