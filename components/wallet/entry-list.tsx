import Link from "next/link";
import { DataTable, EmptyState } from "@/components/data-table";
import type { LedgerEntryView } from "@/lib/ledger";
import { ENTRY_LABELS, stripeReferenceKind } from "@/lib/ledger/labels";
import { formatDateTime } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";
import { receiptPath } from "@/lib/payments/purchases/labels";

const ENTRY_COLUMNS = [
  { label: "When (UTC)" },
  { label: "Type" },
  { label: "Description" },
  { label: "Amount", numeric: true },
  { label: "Balance after", numeric: true },
  { label: "Stripe reference" },
];

/** "+£5.00" for a credit, "-£0.50" for a debit. */
function signedAmount(amountMinor: number, currency: string): string {
  return `${amountMinor > 0 ? "+" : ""}${formatMoney(amountMinor, currency)}`;
}

const amountColour = (amountMinor: number) => (amountMinor < 0 ? "text-red-700" : "text-emerald-700");
const balanceColour = (balanceMinor: number) => (balanceMinor < 0 ? "font-semibold text-red-700" : "");

/**
 * A Stripe id as people can read it: what it is ("Refund"), then the id in monospace, wrapped
 * anywhere so a long Checkout id never widens its column or card. Users have no Stripe dashboard to
 * go to, so a top-up's reference links to its receipt in the app instead.
 */
function StripeReference({ reference, receiptPurchaseId }: { reference: string | null; receiptPurchaseId?: string | null }) {
  if (!reference) return <>—</>;
  const kind = stripeReferenceKind(reference);
  return (
    <span className="break-all">
      {kind && <span className="text-slate-600">{kind} </span>}
      <code className="font-mono text-xs text-slate-600">{reference}</code>
      {receiptPurchaseId && (
        <>
          {" "}
          <Link href={receiptPath(receiptPurchaseId)} className="whitespace-nowrap font-medium text-indigo-700 underline">
            Receipt
          </Link>
        </>
      )}
    </span>
  );
}

export interface EntryPaging {
  nextCursor: string | null;
  isFirstPage: boolean;
  /** The filter's query string ("type=USAGE&from=…"), kept by the page links; "" when unfiltered. */
  filterQuery: string;
}

/**
 * The wallet's entry list, newest first: a card per entry below the `sm` breakpoint, so every amount
 * is on screen at 390 px without sideways scrolling, and the table from `sm` up. Only one of the two
 * is displayed (the other is display:none, so assistive technology meets each entry once).
 */
export function WalletEntryList({ entries, currency, paging }: { entries: LedgerEntryView[]; currency: string; paging: EntryPaging }) {
  const { nextCursor, isFirstPage, filterQuery } = paging;
  const pageHref = (cursor?: string) => {
    const search = new URLSearchParams(filterQuery);
    if (cursor) search.set("cursor", cursor);
    const query = search.toString();
    return `/wallet${query ? `?${query}` : ""}#entries-heading`;
  };
  const newest = !isFirstPage && (
    <Link href={pageHref()} className="text-indigo-700 underline">
      Newest
    </Link>
  );

  if (entries.length === 0) {
    if (!isFirstPage) {
      return <EmptyState title="No more entries">{newest}</EmptyState>;
    }
    if (filterQuery) {
      return (
        <EmptyState title="No entries match these filters">
          Your wallet has entries, but none of this type in these dates.{" "}
          <Link href="/wallet#entries-heading" className="text-indigo-700 underline">
            Clear filters
          </Link>
        </EmptyState>
      );
    }
    return <EmptyState title="No entries yet">Top-ups, plan credits and spending will appear here.</EmptyState>;
  }

  return (
    <div className="space-y-3">
      <ol aria-label="Wallet entries" className="space-y-2 sm:hidden">
        {entries.map((entry) => (
          <li key={entry.id} data-testid="ledger-card" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <div className="flex items-baseline justify-between gap-3">
              <p className="font-medium">{ENTRY_LABELS[entry.type]}</p>
              <time dateTime={entry.createdAt.toISOString()} className="text-xs text-slate-600">
                {formatDateTime(entry.createdAt)}
              </time>
            </div>
            {entry.description && <p className="mt-1 break-words text-slate-700">{entry.description}</p>}
            <dl className="mt-2 grid grid-cols-2 gap-x-4">
              <div>
                <dt className="text-xs text-slate-500">Amount</dt>
                <dd data-testid="ledger-amount" className={`font-semibold tabular-nums ${amountColour(entry.amountMinor)}`}>
                  {signedAmount(entry.amountMinor, currency)}
                </dd>
              </div>
              <div className="text-right">
                <dt className="text-xs text-slate-500">Balance after</dt>
                <dd className={`tabular-nums ${balanceColour(entry.balanceAfterMinor)}`}>{formatMoney(entry.balanceAfterMinor, currency)}</dd>
              </div>
              {entry.stripeObjectId && (
                <div className="col-span-2 mt-2">
                  <dt className="text-xs text-slate-500">Stripe reference</dt>
                  <dd>
                    <StripeReference reference={entry.stripeObjectId} receiptPurchaseId={entry.receiptPurchaseId} />
                  </dd>
                </div>
              )}
            </dl>
          </li>
        ))}
      </ol>
      <div className="hidden sm:block">
        <DataTable label="Wallet entries" columns={ENTRY_COLUMNS}>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="ledger-row">
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time>
              </td>
              <td className="px-3 py-2">{ENTRY_LABELS[entry.type]}</td>
              <td className="px-3 py-2 break-words">{entry.description ?? "—"}</td>
              <td data-testid="ledger-amount" className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${amountColour(entry.amountMinor)}`}>
                {signedAmount(entry.amountMinor, currency)}
              </td>
              <td className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${balanceColour(entry.balanceAfterMinor)}`}>
                {formatMoney(entry.balanceAfterMinor, currency)}
              </td>
              <td className="min-w-40 max-w-56 px-3 py-2 text-xs">
                <StripeReference reference={entry.stripeObjectId} receiptPurchaseId={entry.receiptPurchaseId} />
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
      {(newest || nextCursor) && (
        <nav aria-label="Entry pages" className="flex gap-3 text-sm">
          {newest}
          {nextCursor && (
            <Link href={pageHref(nextCursor)} className="text-indigo-700 underline">
              Older entries
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
