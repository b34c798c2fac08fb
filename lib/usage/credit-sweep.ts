import { expireDueGrants, expireReservations } from "../ledger";
import { startPendingRecharges } from "../payments/recharges";

// The credit sweep, run every minute by the cron route and on demand by `npm run credits:sweep`:
// grants whose expiry date has come (EXPIRY entries, once per grant) and reservations whose TTL has passed,
// then the auto-recharges still pending: queued by those expiries, by debits from webhooks (refunds,
// disputes), or left by a request whose after() could not reach Stripe (lib/payments/recharges/charge.ts).
// Every step is idempotent, so overlapping runs and reruns change nothing twice.

export interface CreditSweepResult {
  grantsExpired: number;
  expiredMinor: number;
  rolledOverMinor: number;
  reservationsExpired: number;
  /** Pending auto-recharges charged (now processing, or failed and switched off); those Stripe could not be reached for stay pending. */
  rechargesStarted: number;
}

export async function runCreditSweep({ now = new Date(), limit = 500 }: { now?: Date; limit?: number } = {}): Promise<CreditSweepResult> {
  const grants = await expireDueGrants(now, limit);
  const reservationsExpired = await expireReservations(now, limit);
  const recharges = await startPendingRecharges({ limit, now });
  return {
    grantsExpired: grants.grants,
    expiredMinor: grants.expiredMinor,
    rolledOverMinor: grants.rolledOverMinor,
    reservationsExpired,
    rechargesStarted: recharges.started + recharges.failed,
  };
}
