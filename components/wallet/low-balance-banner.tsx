import { spendingControlsFor } from "@/components/wallet/spending-controls";
import { formatMoney } from "@/lib/core/money";

/**
 * Shown on /wallet while the low-balance alert is raised (Wallet.lowBalanceAlertedAt, rules in
 * lib/ledger/limits.ts): what is available against the threshold, and where to top up.
 */
export async function LowBalanceBanner({ userId, currency }: { userId: string; currency: string }) {
  const controls = await spendingControlsFor(userId, currency);
  if (!controls.lowBalanceAlertedAt || controls.lowBalanceThresholdMinor === null) return null;
  return (
    <p role="status" data-testid="low-balance-banner" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      Your available balance is {formatMoney(controls.availableMinor, currency)}, below your low-balance alert of{" "}
      {formatMoney(controls.lowBalanceThresholdMinor, currency)}.{" "}
      <a href="#buy-heading" className="font-medium underline">
        Top up
      </a>{" "}
      to keep spending, or{" "}
      <a href="#spending-controls-heading" className="underline">
        change the alert
      </a>
      .
    </p>
  );
}
