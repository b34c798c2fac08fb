import Link from "next/link";
import { StatusBadge } from "@/components/status-badge";
import { CancelPurchaseButton } from "@/components/wallet/cancel-purchase-button";
import { formatDateTime } from "@/lib/core/format";
import type { Purchase } from "@/lib/generated/prisma/browser";
import { formatMoney } from "@/lib/core/money";
import { receiptPath } from "@/lib/payments/purchases/labels";
import { describePurchase, hasReceipt, isOpenPurchase, purchaseName, type DisplayedPurchase } from "@/lib/payments/purchases/labels";

/** How a top-up's state looks wherever it is shown (the wallet, admin): from lib/payments/purchases/labels.ts. */
export function PurchaseStatusBadge({ purchase }: { purchase: DisplayedPurchase }) {
  const display = describePurchase(purchase);
  return (
    <span data-testid="purchase-status" data-state={display.state}>
      <StatusBadge tone={display.tone}>{display.label}</StatusBadge>
    </span>
  );
}

const ACTION_LINK = "rounded border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50";

// One card per purchase, stacked, so nothing scrolls sideways on a phone: what was bought and for how
// much, its state and what that means in a sentence, and what can be done with it.
export function PurchaseList({ purchases, now = new Date() }: { purchases: Purchase[]; now?: Date }) {
  if (purchases.length === 0) return null;
  return (
    <section aria-labelledby="purchases-heading" className="space-y-3">
      <h2 id="purchases-heading" className="text-xl font-semibold">Recent purchases</h2>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {purchases.map((purchase) => {
          const display = describePurchase(purchase);
          const name = purchaseName(purchase);
          const open = isOpenPurchase(purchase, now);
          return (
            <li key={purchase.id} data-testid="purchase-row" data-purchase-id={purchase.id} data-state={display.state} className="space-y-2 px-4 py-3 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <p className="font-medium text-slate-900" data-testid="purchase-name">{name}</p>
                <p className="font-semibold tabular-nums">{formatMoney(purchase.amountMinor, purchase.currency)}</p>
              </div>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <PurchaseStatusBadge purchase={purchase} />
                <time className="text-slate-500" dateTime={purchase.createdAt.toISOString()}>
                  {formatDateTime(purchase.createdAt)}
                </time>
              </div>
              <p className={`break-words ${display.tone === "danger" ? "text-red-800" : "text-slate-700"}`} data-testid="purchase-sentence">
                {display.sentence}
              </p>
              {open && purchase.checkoutUrl && (
                <div className="flex flex-wrap items-start gap-2">
                  <a href={purchase.checkoutUrl} className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700">
                    Resume payment
                  </a>
                  <CancelPurchaseButton purchaseId={purchase.id} />
                </div>
              )}
              {hasReceipt(purchase) && (
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={receiptPath(purchase.id)} className={ACTION_LINK}>
                    Receipt
                  </Link>
                  {purchase.receiptUrl && (
                    <a href={purchase.receiptUrl} rel="noreferrer" className={ACTION_LINK}>
                      Stripe receipt
                    </a>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
