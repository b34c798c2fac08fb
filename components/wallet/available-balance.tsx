import { spendingControlsFor } from "@/components/wallet/spending-controls";
import { formatMoney } from "@/lib/core/money";

/** Under the balance while reservations set some of it aside: what can be spent now, and what is set aside. */
export async function AvailableBalance({ userId, currency }: { userId: string; currency: string }) {
  const controls = await spendingControlsFor(userId, currency);
  if (controls.reservedMinor <= 0) return null;
  return (
    <p className="mt-1 text-sm text-slate-700" data-testid="available-balance">
      <span className="font-medium tabular-nums">{formatMoney(controls.availableMinor, currency)}</span> available ·{" "}
      <span className="tabular-nums">{formatMoney(controls.reservedMinor, currency)}</span> set aside by open reservations
    </p>
  );
}
