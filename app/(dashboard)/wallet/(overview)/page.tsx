import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AutoRecharge, AutoRechargeBanner } from "@/components/wallet/auto-recharge";
import { AvailableBalance } from "@/components/wallet/available-balance";
import { BalanceChart } from "@/components/wallet/balance-chart";
import { BuyCredits } from "@/components/wallet/buy-credits";
import { CheckoutStatus } from "@/components/wallet/checkout-status";
import { UpcomingExpiriesNote, WalletGrants } from "@/components/wallet/grants";
import { WalletEntryFilters } from "@/components/wallet/entry-filters";
import { WalletEntryList } from "@/components/wallet/entry-list";
import { LowBalanceBanner } from "@/components/wallet/low-balance-banner";
import { NegativeBalanceBanner } from "@/components/wallet/negative-balance-banner";
import { PurchaseList } from "@/components/wallet/purchase-list";
import { SpendDemo } from "@/components/wallet/spend-demo";
import { SpendingControls } from "@/components/wallet/spending-controls";
import { StatementExport } from "@/components/wallet/statement-export";
import { requireUser } from "@/lib/accounts";
import { creditPacksFor, hasFeature, listActivePlans } from "@/lib/billing";
import { env } from "@/lib/core/env";
import { stripeJsConfig } from "@/lib/core/checkout-ui";
import { firstSearchValue } from "@/lib/core/forms";
import { getWalletView } from "@/lib/ledger";
import { currencySymbol, formatMoney } from "@/lib/core/money";
import { findUserPurchase, listRecentPurchases, purchaseView } from "@/lib/payments/purchases";
import { DEMO_SPEND_MINOR, demoSpendEnabled } from "@/lib/usage";
import { parseWalletEntryFilter, WALLET_ENTRY_FILTER_FIELDS, walletEntryFilterQuery, type WalletEntryFilterValues } from "@/lib/validations/wallet-entries";

export const metadata = { title: "Wallet" };

/** Entries per page of the entry list. */
const WALLET_ENTRY_PAGE_SIZE = 20;
/** The latest entries the balance chart draws (whatever the entry list's filter). */
const CHART_POINTS = 50;

const fromOldSpelling = (value: unknown) => (value === "cancelled" ? "canceled" : value); // old name, kept

const searchSchema = z.object({
  // Return addresses handed to Stripe before the spelling changed still say "cancelled" (old name, kept).
  // "resume": an open embedded purchase's "Resume payment" link (lib/payments/topups), which reopens its form here.
  checkout: z.preprocess(fromOldSpelling, z.enum(["success", "canceled", "resume"])).optional().catch(undefined),
  purchase: z.string().min(1).max(64).optional().catch(undefined),
  session_id: z.string().min(1).max(255).optional().catch(undefined),
  cursor: z.string().max(64).optional().catch(undefined),
});

export default async function WalletPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/wallet");
  const params = await searchParams;
  const query = searchSchema.parse(params);
  const currency = env().BILLFOLD_CURRENCY;
  const stripeJs = stripeJsConfig();
  // The entry list's filter, kept as typed; a value it cannot read is shown next to its field, never thrown.
  const entryFilterValues: WalletEntryFilterValues = Object.fromEntries(WALLET_ENTRY_FILTER_FIELDS.map((name) => [name, firstSearchValue(params[name])]).filter(([, value]) => value));
  const entryFilter = parseWalletEntryFilter(entryFilterValues);
  const filterQuery = walletEntryFilterQuery(entryFilterValues);
  // Back from Checkout: the purchase as it is now (never what the address claims). Read before the
  // rest, so that a payment it shows as settled is also in the balance and the list read after it.
  const returned = query.checkout === "resume" ? null : (query.checkout ?? null);
  const returnedPurchase = returned ? await findUserPurchase(user.id, { purchaseId: query.purchase, checkoutSessionId: query.session_id }) : null;
  const [wallet, recent, purchases, canExport, plans] = await Promise.all([
    getWalletView(user.id, currency, { take: WALLET_ENTRY_PAGE_SIZE, cursor: query.cursor, filter: entryFilter.ok ? entryFilter.filter : {} }),
    getWalletView(user.id, currency, { take: CHART_POINTS }),
    listRecentPurchases(user.id, 5),
    hasFeature(user.id, "statement_export"),
    listActivePlans(),
  ]);

  return (
    <div className="space-y-8">
      <NegativeBalanceBanner userId={user.id} currency={currency} />
      <CheckoutStatus initial={returnedPurchase ? purchaseView(returnedPurchase) : null} returned={returned} />
      <AutoRechargeBanner userId={user.id} />
      <LowBalanceBanner userId={user.id} currency={currency} />
      <section aria-labelledby="balance-heading" className="flex flex-wrap items-end justify-between gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div>
          <h1 id="balance-heading" className="text-sm font-medium uppercase tracking-wide text-slate-500">Wallet balance</h1>
          <p data-testid="wallet-balance" className={`mt-2 text-4xl font-bold tabular-nums ${wallet.balanceMinor < 0 ? "text-red-700" : ""}`}>
            {formatMoney(wallet.balanceMinor, wallet.currency)}
          </p>
          <AvailableBalance userId={user.id} currency={currency} />
          <UpcomingExpiriesNote userId={user.id} currency={currency} />
        </div>
        {demoSpendEnabled() && <SpendDemo idempotencyKey={randomUUID()} amountLabel={formatMoney(DEMO_SPEND_MINOR, currency)} />}
      </section>
      <BuyCredits
        packs={creditPacksFor(currency).map((pack) => ({ key: pack.key, name: pack.name, price: formatMoney(pack.amountMinor, pack.currency) }))}
        minLabel={formatMoney(env().TOPUP_MIN_MINOR, currency)}
        maxLabel={formatMoney(env().TOPUP_MAX_MINOR, currency)}
        currencySymbol={currencySymbol(currency)}
        stripeJs={stripeJs}
        resumePurchaseId={query.checkout === "resume" ? (query.purchase ?? null) : null}
      />
      <AutoRecharge userId={user.id} cardReturn={firstSearchValue(params.card)} stripeJs={stripeJs} />
      <PurchaseList purchases={purchases} />
      <SpendingControls userId={user.id} currency={currency} />
      <WalletGrants userId={user.id} currency={currency} />
      <BalanceChart points={[...recent.entries].reverse().map((e) => ({ at: e.createdAt, balanceMinor: e.balanceAfterMinor }))} currency={currency} />
      <section aria-labelledby="entries-heading" className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h2 id="entries-heading" className="scroll-mt-4 text-xl font-semibold">Entries</h2>
          {entryFilter.ok && (
            <StatementExport
              available={canExport}
              planNames={plans.filter((plan) => plan.features.includes("statement_export")).map((plan) => plan.name)}
              filterQuery={filterQuery}
            />
          )}
        </div>
        {/* Keyed by the filter, so a new filter (or "Clear filters") resets the inputs to the URL's values. */}
        <WalletEntryFilters key={filterQuery} values={entryFilterValues} errors={entryFilter.ok ? {} : entryFilter.errors} />
        {entryFilter.ok ? (
          <WalletEntryList entries={wallet.entries} currency={wallet.currency} paging={{ nextCursor: wallet.nextCursor, isFirstPage: !query.cursor, filterQuery }} />
        ) : (
          <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            Some filters could not be read; fix the highlighted fields to see your entries.
          </p>
        )}
      </section>
    </div>
  );
}
