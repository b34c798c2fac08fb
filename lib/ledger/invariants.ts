import { db, type Tx } from "../core/db";

export interface LedgerViolation {
  walletId: string;
  problem: string;
}

/**
 * Checks every wallet against its entries, in one consistent snapshot (so it is valid while other
 * writers run): the balance equals the sum of the entries, and the entries form one unbroken chain
 * of running balances (each starts where another ended, the first at 0, the last at the balance).
 * Then the breakdown: the grants' remainders sum to max(balance, 0), every grant's draws account
 * for what it has lost, and the reserved amount is the sum of the reservations still open.
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
      violations.push(...(await findBreakdownViolations(tx)));
      return { walletsChecked: wallets.length, violations };
    },
    { isolationLevel: "RepeatableRead" },
  );
}

async function findBreakdownViolations(tx: Tx): Promise<LedgerViolation[]> {
  const grants = await tx.$queryRaw<Array<{ walletId: string; balanceMinor: number; remainingMinor: number }>>`
    SELECT w."id" AS "walletId", w."balanceMinor", COALESCE(SUM(g."remainingMinor"), 0)::int AS "remainingMinor"
    FROM "Wallet" w LEFT JOIN "CreditGrant" g ON g."walletId" = w."id"
    GROUP BY w."id"
    HAVING COALESCE(SUM(g."remainingMinor"), 0) <> GREATEST(w."balanceMinor", 0)`;
  const draws = await tx.$queryRaw<Array<{ walletId: string; grantId: string; lostMinor: number; drawnMinor: number }>>`
    SELECT g."walletId", g."id" AS "grantId", (g."amountMinor" - g."remainingMinor") AS "lostMinor", COALESCE(SUM(d."amountMinor"), 0)::int AS "drawnMinor"
    FROM "CreditGrant" g LEFT JOIN "GrantDraw" d ON d."grantId" = g."id"
    GROUP BY g."id"
    HAVING g."amountMinor" - g."remainingMinor" <> COALESCE(SUM(d."amountMinor"), 0)`;
  const reservations = await tx.$queryRaw<Array<{ walletId: string; reservedMinor: number; heldMinor: number }>>`
    SELECT w."id" AS "walletId", w."reservedMinor", COALESCE(SUM(r."amountMinor") FILTER (WHERE r."status" = 'held'), 0)::int AS "heldMinor"
    FROM "Wallet" w LEFT JOIN "Reservation" r ON r."walletId" = w."id"
    GROUP BY w."id"
    HAVING w."reservedMinor" <> COALESCE(SUM(r."amountMinor") FILTER (WHERE r."status" = 'held'), 0)`;
  return [
    ...grants.map((row) => ({ walletId: row.walletId, problem: `grants hold ${row.remainingMinor} but the balance is ${row.balanceMinor}` })),
    ...draws.map((row) => ({ walletId: row.walletId, problem: `grant ${row.grantId} lost ${row.lostMinor} but its draws sum to ${row.drawnMinor}` })),
    ...reservations.map((row) => ({ walletId: row.walletId, problem: `reserved ${row.reservedMinor} but open reservations sum to ${row.heldMinor}` })),
  ];
}
