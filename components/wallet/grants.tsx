import { DataTable, EmptyState } from "@/components/data-table";
import { StatusBadge, type StatusTone } from "@/components/status-badge";
import {
  GRANT_SOURCE_LABELS,
  GRANT_STATE_LABELS,
  getUpcomingExpiries,
  listWalletGrants,
  UPCOMING_EXPIRY_DAYS,
  type GrantState,
  type GrantView,
} from "@/lib/ledger";
import { formatDateTime } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

// The wallet's credit, grant by grant (lib/ledger/grant-views.ts): where each part of the balance came
// from, what is left of it and when it expires. The active grants come in the order spending uses them.

const STATE_TONES: Record<GrantState, StatusTone> = { active: "success", used_up: "neutral", expired: "warning", voided: "danger" };

const GRANT_COLUMNS = [{ label: "Source" }, { label: "Kind" }, { label: "Amount", numeric: true }, { label: "Remaining", numeric: true }, { label: "Expires (UTC)" }, { label: "State" }];

/** A grant's state wherever it is shown (the wallet, the admin user page). */
export function GrantStateBadge({ state }: { state: GrantState }) {
  return (
    <span data-testid="grant-state" data-state={state}>
      <StatusBadge tone={STATE_TONES[state]}>{GRANT_STATE_LABELS[state]}</StatusBadge>
    </span>
  );
}

/** "Never", the date, or what happened on it; plus a rollover, which changes what the date means. */
export function GrantExpiry({ grant }: { grant: GrantView }) {
  if (grant.state === "voided") return <>Voided {formatDateTime(grant.endedAt)}</>;
  if (grant.state === "expired") return <>Expired {formatDateTime(grant.endedAt)}</>;
  if (!grant.expiresAt) return <>Never</>;
  return (
    <>
      <time dateTime={grant.expiresAt.toISOString()}>{formatDateTime(grant.expiresAt)}</time>
      {grant.rolloverCapMinor !== null && <span className="block text-xs text-slate-500">up to {formatMoney(grant.rolloverCapMinor, grant.currency)} rolls over a month</span>}
      {grant.rolledOver && <span className="block text-xs text-slate-500">rolled over from last period</span>}
    </>
  );
}

/** The reason under a voided grant, so the user sees why credit left. */
function VoidReason({ grant }: { grant: GrantView }) {
  if (grant.state !== "voided" || !grant.voidReason) return null;
  return <span className="block break-words text-xs text-slate-600">Reason: {grant.voidReason}</span>;
}

/**
 * "Your credit": a card per grant below the `sm` breakpoint (640 px), the table from `sm` up, like the
 * entry list; only one of the two is displayed.
 */
export async function WalletGrants({ userId, currency }: { userId: string; currency: string }) {
  const grants = await listWalletGrants(userId, currency);
  return (
    <section aria-labelledby="grants-heading" className="space-y-3">
      <div>
        <h2 id="grants-heading" className="text-xl font-semibold">Your credit</h2>
        <p className="text-sm text-slate-600">Where your balance came from. Spending uses given credit before bought credit, and the credit that expires soonest first.</p>
      </div>
      {grants.length === 0 ? (
        <EmptyState title="No credit yet">Top-ups, plan credit and promotional credit appear here, with what is left of each and when it expires.</EmptyState>
      ) : (
        <>
          <ol aria-label="Your credit" className="space-y-2 sm:hidden">
            {grants.map((grant) => (
              <li key={grant.id} data-testid="grant-card" data-grant-id={grant.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
                <div className="flex items-baseline justify-between gap-3">
                  <p className="font-medium">{grant.sourceLabel}</p>
                  <GrantStateBadge state={grant.state} />
                </div>
                <p className="text-xs text-slate-600">{grant.kindLabel} · added {formatDateTime(grant.createdAt)}</p>
                <VoidReason grant={grant} />
                <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-2">
                  <div>
                    <dt className="text-xs text-slate-500">Remaining</dt>
                    <dd className="font-semibold tabular-nums" data-testid="grant-remaining">{formatMoney(grant.remainingMinor, currency)}</dd>
                  </div>
                  <div className="text-right">
                    <dt className="text-xs text-slate-500">Of</dt>
                    <dd className="tabular-nums">{formatMoney(grant.amountMinor, currency)}</dd>
                  </div>
                  <div className="col-span-2">
                    <dt className="text-xs text-slate-500">Expires (UTC)</dt>
                    <dd data-testid="grant-expiry"><GrantExpiry grant={grant} /></dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
          <div className="hidden sm:block">
            <DataTable label="Your credit" columns={GRANT_COLUMNS}>
              {grants.map((grant) => (
                <tr key={grant.id} data-testid="grant-row" data-grant-id={grant.id}>
                  <td className="px-3 py-2">
                    {grant.sourceLabel}
                    <span className="block text-xs text-slate-500">added {formatDateTime(grant.createdAt)}</span>
                  </td>
                  <td className="px-3 py-2">{grant.kindLabel}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(grant.amountMinor, currency)}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-right font-semibold tabular-nums" data-testid="grant-remaining">{formatMoney(grant.remainingMinor, currency)}</td>
                  <td className="px-3 py-2 text-slate-700" data-testid="grant-expiry"><GrantExpiry grant={grant} /></td>
                  <td className="max-w-56 px-3 py-2">
                    <GrantStateBadge state={grant.state} />
                    <VoidReason grant={grant} />
                  </td>
                </tr>
              ))}
            </DataTable>
          </div>
        </>
      )}
    </section>
  );
}

/** Near the balance: credit that expires in the next 30 days, soonest first, with the total. Nothing when none does. */
export async function UpcomingExpiriesNote({ userId, currency }: { userId: string; currency: string }) {
  const upcoming = await getUpcomingExpiries(userId, currency);
  if (upcoming.expiries.length === 0) return null;
  return (
    <div data-testid="upcoming-expiries" className="mt-3 max-w-md rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p className="font-medium">
        {formatMoney(upcoming.totalMinor, currency)} of credit expires in the next {UPCOMING_EXPIRY_DAYS} days
      </p>
      <ul className="mt-1 space-y-0.5">
        {upcoming.expiries.map((expiry) => (
          <li key={expiry.grantId} data-testid="upcoming-expiry" className="tabular-nums">
            {formatMoney(expiry.expiringMinor, currency)} {GRANT_SOURCE_LABELS[expiry.source].toLowerCase()} on{" "}
            <time dateTime={expiry.expiresAt.toISOString()}>{formatDateTime(expiry.expiresAt)}</time> UTC
            {expiry.rollingOverMinor > 0 && <> ({formatMoney(expiry.rollingOverMinor, currency)} rolls over)</>}
          </li>
        ))}
      </ul>
    </div>
  );
}
