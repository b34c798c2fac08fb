import { getNegativeBalance } from "@/lib/ledger";
import { formatDateTime } from "@/lib/core/format";
import { ENTRY_LABELS } from "@/lib/ledger/labels";
import { formatMoney } from "@/lib/core/money";

/**
 * Shown while the balance is below zero (the negative-balance policy, lib/ledger/ledger.ts): what took
 * it there, that nothing can be spent until a top-up repays it, and where to top up.
 */
export async function NegativeBalanceBanner({ userId, currency }: { userId: string; currency: string }) {
  const negative = await getNegativeBalance(userId, currency);
  if (!negative) return null;
  const owed = formatMoney(-negative.balanceMinor, currency);
  const { cause } = negative;
  return (
    <section role="alert" aria-labelledby="negative-balance-heading" data-testid="negative-balance-banner" className="space-y-2 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
      {/* Not a heading: it sits above the page's h1, and the heading outline should start there. */}
      <p id="negative-balance-heading" className="text-base font-semibold">Your balance is {formatMoney(negative.balanceMinor, currency)}</p>
      {cause ? (
        <p data-testid="negative-balance-cause">
          {ENTRY_LABELS[cause.type]} of {formatMoney(Math.abs(cause.amountMinor), currency)} on {formatDateTime(cause.createdAt)} UTC
          {cause.description && cause.description !== ENTRY_LABELS[cause.type] ? <> ({cause.description})</> : null} took it below zero: money from an earlier payment
          was returned after its credit had been spent.
        </p>
      ) : (
        <p>A refund or dispute took more credit back than was left.</p>
      )}
      <p>
        Spending is paused until a top-up repays the {owed}. The next top-up pays it first, and the rest is yours to spend.{" "}
        <a href="#buy-heading" className="font-medium text-red-900 underline">Top up now</a>
      </p>
    </section>
  );
}
