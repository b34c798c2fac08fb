import { randomUUID } from "node:crypto";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdjustmentForm } from "@/components/admin/adjustment-form";
import { RefundForm } from "@/components/admin/refund-form";
import { UserGrants } from "@/components/admin/user-grants";
import { SubscriptionStatusBadge } from "@/components/billing/subscription-status-badge";
import { DataTable, EmptyState } from "@/components/data-table";
import { ENTRY_LABELS } from "@/lib/ledger/labels";
import { PurchaseStatusBadge } from "@/components/wallet/purchase-list";
import { getRefundStates } from "@/lib/admin";
import { getAdminUserDetail, RECENT_ENTRIES } from "@/lib/admin";
import { env } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/format";
import { requireAdmin } from "@/lib/accounts";
import { currencySymbol, formatMoney, minorToDecimalString } from "@/lib/core/money";

export const metadata = { title: "User · Admin" };

const ENTRY_COLUMNS = [{ label: "When" }, { label: "Type" }, { label: "Description" }, { label: "Amount", numeric: true }, { label: "Balance after", numeric: true }, { label: "Reference" }];
const PURCHASE_COLUMNS = [{ label: "Created" }, { label: "Amount", numeric: true }, { label: "Status" }, { label: "Refunded", numeric: true }, { label: "Refund" }];

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/users/${encodeURIComponent(id)}`);
  const user = id.length <= 64 ? await getAdminUserDetail(id) : null;
  if (!user) notFound();
  // Stripe's view of each paid top-up (what is refunded so far, including refunds whose events are still on their way).
  const refundStates = await getRefundStates(user.purchases);
  const currencies = [...new Set([env().BILLFOLD_CURRENCY, ...user.wallets.map((wallet) => wallet.currency)])].map((code) => ({ code, symbol: currencySymbol(code) }));
  const balances = user.wallets.length > 0 ? user.wallets : [{ currency: env().BILLFOLD_CURRENCY, balanceMinor: 0 }];

  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p className="text-sm"><Link href="/admin/users" className="text-slate-600 underline">← Users</Link></p>
        <h1 className="break-all text-2xl font-semibold">{user.email}</h1>
        <p className="text-sm text-slate-600">
          {user.name ?? "No name"} · {user.role} · joined {formatDateTime(user.createdAt)} · Stripe customer <span className="font-mono text-xs">{user.stripeCustomerId ?? "none yet"}</span>
        </p>
      </div>

      <dl className="grid gap-4 sm:grid-cols-3">
        {balances.map((wallet) => (
          <div key={wallet.currency} className="rounded-lg border border-slate-200 bg-white p-4">
            <dt className="text-xs uppercase text-slate-500">Wallet ({wallet.currency})</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid={`wallet-balance-${wallet.currency}`}>{formatMoney(wallet.balanceMinor, wallet.currency)}</dd>
          </div>
        ))}
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-xs uppercase text-slate-500">Plan</dt>
          <dd className="space-x-2">
            <span className="text-2xl font-semibold" data-testid="effective-plan">{user.planName}</span>
            {user.subscription && <SubscriptionStatusBadge status={user.subscription.status} />}
          </dd>
          {user.subscription && (
            <dd className="mt-1 text-xs text-slate-600">
              <span className="font-mono">{user.subscription.stripeSubscriptionId}</span>
              {user.subscription.currentPeriodEnd && <> · {user.subscription.cancelAtPeriodEnd ? "ends" : "renews"} {formatDateTime(user.subscription.currentPeriodEnd)}</>}
            </dd>
          )}
        </div>
      </dl>

      <section className="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="text-lg font-semibold">Manual adjustment</h2>
        <p className="text-sm text-slate-600">Credits or debits the wallet with an Adjustment entry in your name, recorded in the audit log with the reason. A debit cannot take the balance below zero.</p>
        <AdjustmentForm userId={user.id} currencies={currencies} requestKey={randomUUID()} />
      </section>

      <UserGrants userId={user.id} currencies={currencies} />

      <section className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Recent ledger entries</h2>
          <Link href={`/admin/entries?email=${encodeURIComponent(user.email)}`} className="text-sm text-indigo-700 underline">All of this user’s entries</Link>
        </div>
        {user.recentEntries.length === 0 ? (
          <EmptyState title="No ledger entries yet">Top-ups, usage, refunds and adjustments appear here.</EmptyState>
        ) : (
          <DataTable label="Recent ledger entries" columns={ENTRY_COLUMNS}>
            {user.recentEntries.map((entry) => (
              <tr key={entry.id} data-testid="ledger-entry">
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDateTime(entry.createdAt, { seconds: true })}</td>
                <td className="px-3 py-2">{ENTRY_LABELS[entry.type]}{entry.createdByAdminId && <span className="text-xs text-slate-500"> (admin)</span>}</td>
                <td className="px-3 py-2">{entry.description ?? "—"}</td>
                <td className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${entry.amountMinor < 0 ? "text-red-700" : "text-emerald-700"}`}>{formatMoney(entry.amountMinor, entry.currency)}</td>
                <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(entry.balanceAfterMinor, entry.currency)}</td>
                <td className="px-3 py-2 font-mono text-xs">{entry.stripeObjectId ?? "—"}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {user.recentEntries.length === RECENT_ENTRIES && <p className="text-xs text-slate-500">The {RECENT_ENTRIES} newest entries; the entries page has the rest.</p>}
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Top-ups</h2>
        <p className="text-sm text-slate-600">A refund is asked of Stripe; the wallet is debited when Stripe confirms it through its webhook, as for a refund made in Stripe’s dashboard.</p>
        {user.purchases.length === 0 ? (
          <EmptyState title="No top-ups yet" />
        ) : (
          <DataTable label="Top-ups" columns={PURCHASE_COLUMNS}>
            {user.purchases.map((purchase) => {
              const refundState = refundStates.get(purchase.id);
              return (
                <tr key={purchase.id} data-testid="purchase-row" data-purchase-id={purchase.id}>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDateTime(purchase.createdAt)}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(purchase.amountMinor, purchase.currency)}</td>
                  <td className="px-3 py-2"><PurchaseStatusBadge purchase={purchase} /></td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums" data-testid="refunded">
                    {purchase.status !== "paid" ? "—" : refundState ? formatMoney(refundState.refundedMinor, purchase.currency) : "Stripe unavailable"}
                  </td>
                  <td className="px-3 py-2">
                    {refundState && refundState.refundableMinor > 0 ? (
                      <RefundForm
                        purchaseId={purchase.id}
                        refundableAmount={refundState.suggestedMinor > 0 ? minorToDecimalString(refundState.suggestedMinor, purchase.currency) : ""}
                        refundableLabel={formatMoney(refundState.refundableMinor, purchase.currency)}
                        unspentLabel={formatMoney(refundState.unspentMinor, purchase.currency)}
                        currencySymbol={currencySymbol(purchase.currency)}
                        requestKey={randomUUID()}
                      />
                    ) : purchase.status === "paid" && refundState ? (
                      <span className="text-sm text-slate-500">Fully refunded</span>
                    ) : (
                      <span className="text-sm text-slate-500">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>
    </div>
  );
}
