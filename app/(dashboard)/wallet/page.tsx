import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { getWalletView } from "@/lib/ledger/queries";
import { formatMoney } from "@/lib/money";

export const metadata = { title: "Wallet" };

export default async function WalletPage() {
  const user = await requireUser("/wallet");
  const wallet = await getWalletView(user.id, env().BILLFOLD_CURRENCY, { take: 20 });
  return (
    <div className="space-y-8">
      <section aria-labelledby="balance-heading" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 id="balance-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">Wallet balance</h1>
        <p data-testid="wallet-balance" className="mt-2 text-4xl font-bold tabular-nums">
          {formatMoney(wallet.balanceMinor, wallet.currency)}
        </p>
      </section>
      <section aria-labelledby="history-heading" className="space-y-3">
        <h2 id="history-heading" className="text-xl font-semibold">History</h2>
        {wallet.entries.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
            <p className="font-medium">No transactions yet</p>
            <p className="text-sm">Top-ups, plan credits and spending will appear here.</p>
          </div>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {wallet.entries.map((entry) => (
              <li key={entry.id} className="flex justify-between px-4 py-3 text-sm">
                <span>{entry.description ?? entry.type}</span>
                <span className="tabular-nums">{formatMoney(entry.amountMinor, wallet.currency)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
