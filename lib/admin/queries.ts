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
