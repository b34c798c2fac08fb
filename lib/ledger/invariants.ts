import { db } from "../db";

export interface LedgerViolation {
  walletId: string;
  problem: string;
}

/**
 * Checks every wallet against its entries, in one consistent snapshot (so it is valid while other
 * writers run): the balance equals the sum of the entries, and the entries form one unbroken chain
 * of running balances (each starts where another ended, the first at 0, the last at the balance).
 */
export async function findLedgerViolations(): Promise<{ walletsChecked: number; violations: LedgerViolation[] }> {
  return db().$transaction(
    async (tx) => {
      const wallets = await tx.wallet.findMany({ select: { id: true, balanceMinor: true } });
      const entries = await tx.ledgerEntry.findMany({ select: { walletId: true, amountMinor: true, balanceAfterMinor: true } });
      const byWallet = new Map<string, typeof entries>();
      for (const entry of entries) byWallet.set(entry.walletId, [...(byWallet.get(entry.walletId) ?? []), entry]);

      const violations: LedgerViolation[] = [];
      for (const wallet of wallets) {
        const own = byWallet.get(wallet.id) ?? [];
        const sumMinor = own.reduce((sum, entry) => sum + entry.amountMinor, 0);
        if (sumMinor !== wallet.balanceMinor) {
          violations.push({ walletId: wallet.id, problem: `balance ${wallet.balanceMinor} but entries sum to ${sumMinor}` });
          continue;
        }
        const startsFrom = own.map((entry) => entry.balanceAfterMinor - entry.amountMinor).sort((a, b) => a - b);
        const endsAt = [0, ...own.map((entry) => entry.balanceAfterMinor)];
        endsAt.splice(endsAt.indexOf(wallet.balanceMinor), 1);
        endsAt.sort((a, b) => a - b);
        if (startsFrom.some((value, index) => value !== endsAt[index])) {
          violations.push({ walletId: wallet.id, problem: "balanceAfterMinor values do not form one running total" });
        }
      }
      return { walletsChecked: wallets.length, violations };
    },
    { isolationLevel: "RepeatableRead" },
  );
}
