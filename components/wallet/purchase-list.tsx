import { StatusBadge, type StatusTone } from "@/components/status-badge";
import { formatDateTime } from "@/lib/format";
import type { Purchase } from "@/lib/generated/prisma/client";
import { formatMoney } from "@/lib/money";

const STATUS_TONES: Record<Purchase["status"], StatusTone> = {
  pending: "neutral",
  processing: "info",
  paid: "success",
  failed: "danger",
  expired: "warning",
  cancelled: "neutral",
};

const STATUS_LABELS: Record<Purchase["status"], string> = {
  pending: "Awaiting payment",
  processing: "Processing",
  paid: "Paid",
  failed: "Failed",
  expired: "Expired",
  cancelled: "Cancelled",
};

/** How a top-up's status looks wherever it is shown (the wallet, admin). */
export function PurchaseStatusBadge({ status }: { status: Purchase["status"] }) {
  return <StatusBadge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</StatusBadge>;
}

export function PurchaseList({ purchases }: { purchases: Purchase[] }) {
  if (purchases.length === 0) return null;
  return (
    <section aria-labelledby="purchases-heading" className="space-y-3">
      <h2 id="purchases-heading" className="text-xl font-semibold">Recent purchases</h2>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {purchases.map((purchase) => (
          <li key={purchase.id} data-testid="purchase-row" className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
            <span className="font-medium tabular-nums">{formatMoney(purchase.amountMinor, purchase.currency)}</span>
            <PurchaseStatusBadge status={purchase.status} />
            {purchase.failureMessage && <span className="text-red-700">{purchase.failureMessage}</span>}
            <time className="ml-auto text-slate-500" dateTime={purchase.createdAt.toISOString()}>
              {formatDateTime(purchase.createdAt)}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
