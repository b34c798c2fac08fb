import { randomUUID } from "node:crypto";
import { z } from "zod";
import { BalanceChart } from "@/components/wallet/balance-chart";
import { BuyCredits } from "@/components/wallet/buy-credits";
import { CheckoutStatus } from "@/components/wallet/checkout-status";
import { LedgerHistory } from "@/components/wallet/ledger-history";
import { PurchaseList } from "@/components/wallet/purchase-list";
import { SpendDemo } from "@/components/wallet/spend-demo";
import { StatementExport } from "@/components/wallet/statement-export";
import { requireUser } from "@/lib/guards";
import { creditPacksFor } from "@/lib/billing/catalog";
import { hasFeature, listActivePlans } from "@/lib/billing/queries";
import { env } from "@/lib/env";
import { getWalletView } from "@/lib/ledger";
import { currencySymbol, formatMoney } from "@/lib/money";
import { findUserPurchase, listRecentPurchases, purchaseView } from "@/lib/purchases";
import { DEMO_SPEND_MINOR } from "@/lib/usage/spend";

export const metadata = { title: "Wallet" };

const searchSchema = z.object({
  checkout: z.enum(["success", "cancelled"]).optional().catch(undefined),
  purchase: z.string().min(1).max(64).optional().catch(undefined),
  session_id: z.string().min(1).max(255).optional().catch(undefined),
  cursor: z.string().max(64).optional().catch(undefined),
});

export default async function WalletPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/wallet");
  const query = searchSchema.parse(await searchParams);
  const currency = env().BILLFOLD_CURRENCY;
  // Back from Checkout: the purchase as it is now (never what the address claims). Read before the
  // rest, so that a payment it shows as settled is also in the balance and the list read after it.
  const returnedPurchase = query.checkout ? await findUserPurchase(user.id, { purchaseId: query.purchase, checkoutSessionId: query.session_id }) : null;
  const [wallet, recent, purchases, canExport, plans] = await Promise.all([
    getWalletView(user.id, currency, { take: 20, cursor: query.cursor }),
    getWalletView(user.id, currency, { take: 30 }),
    listRecentPurchases(user.id, 5),
    hasFeature(user.id, "statement_export"),
    listActivePlans(),
  ]);

  return (
    <div className="space-y-8">
      <CheckoutStatus initial={returnedPurchase ? purchaseView(returnedPurchase) : null} returned={query.checkout ?? null} />
      <section aria-labelledby="balance-heading" className="flex flex-wrap items-end justify-between gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div>
          <h1 id="balance-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">Wallet balance</h1>
          <p data-testid="wallet-balance" className={`mt-2 text-4xl font-bold tabular-nums ${wallet.balanceMinor < 0 ? "text-red-700" : ""}`}>
            {formatMoney(wallet.balanceMinor, wallet.currency)}
          </p>
          {wallet.balanceMinor < 0 && (
            <p className="mt-1 text-sm text-red-700">
              Your balance is negative because a payment was refunded or disputed after its credit was spent. Top up to continue using credits.
            </p>
          )}
        </div>
        <SpendDemo idempotencyKey={randomUUID()} amountLabel={formatMoney(DEMO_SPEND_MINOR, currency)} />
      </section>
      <BuyCredits
        packs={creditPacksFor(currency).map((pack) => ({ key: pack.key, name: pack.name, price: formatMoney(pack.amountMinor, pack.currency) }))}
        minLabel={formatMoney(env().TOPUP_MIN_MINOR, currency)}
        maxLabel={formatMoney(env().TOPUP_MAX_MINOR, currency)}
        currencySymbol={currencySymbol(currency)}
      />
      <PurchaseList purchases={purchases} />
      <BalanceChart points={[...recent.entries].reverse().map((e) => ({ at: e.createdAt, balanceMinor: e.balanceAfterMinor }))} currency={currency} />
      <section aria-labelledby="history-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="history-heading" className="text-xl font-semibold">History</h2>
          <StatementExport
            available={canExport}
            planNames={plans.filter((plan) => plan.features.includes("statement_export")).map((plan) => plan.name)}
          />
        </div>
        <LedgerHistory entries={wallet.entries} currency={wallet.currency} nextCursor={wallet.nextCursor} isFirstPage={!query.cursor} />
      </section>
    </div>
  );
}
