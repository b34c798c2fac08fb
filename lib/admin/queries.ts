import { db } from "../db";

export async function getAdminOverview() {
  const [users, wallets, ledgerEntries, webhookEvents, failedWebhookEvents] = await Promise.all([
    db().user.count(),
    db().wallet.count(),
    db().ledgerEntry.count(),
    db().webhookEvent.count(),
    db().webhookEvent.count({ where: { status: "failed" } }),
  ]);
  return { users, wallets, ledgerEntries, webhookEvents, failedWebhookEvents };
}

/** Newest webhook events, failed ones first; never the payload. */
export function listRecentWebhookEvents(take = 25) {
  return db().webhookEvent.findMany({
    orderBy: [{ receivedAt: "desc" }],
    take,
    select: { id: true, stripeEventId: true, type: true, status: true, attempts: true, lastError: true, receivedAt: true, processedAt: true, nextAttemptAt: true, lockedAt: true },
  });
}

/** Newest ledger entries across every wallet, with their owner. */
export function listRecentLedgerEntries(take = 25) {
  return db().ledgerEntry.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      type: true,
      amountMinor: true,
      balanceAfterMinor: true,
      description: true,
      stripeObjectId: true,
      createdAt: true,
      wallet: { select: { currency: true, user: { select: { email: true } } } },
    },
  });
}
