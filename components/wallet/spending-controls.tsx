import { cache } from "react";
import { LimitsForm } from "@/components/wallet/limits-form";
import { formatDate } from "@/lib/core/format";
import { currencySymbol, formatMoney, minorToDecimalString } from "@/lib/core/money";
import { getSpendingControls, type SpendingControls as Controls } from "@/lib/usage";

/** The wallet's spending controls, read once per request however many of the wallet page's parts show them. */
export const spendingControlsFor = cache((userId: string, currency: string) => getSpendingControls(userId, currency));

/** "This month you've spent £2.50 of your £15.00 limit …": usage, reservations and the reset date in one sentence. */
function usageSentence(controls: Controls): string {
  const money = (amountMinor: number) => formatMoney(amountMinor, controls.currency);
  const held = controls.reservedMinor > 0 ? `, and ${money(controls.reservedMinor)} is set aside by open reservations` : "";
  const limit = controls.effectiveLimit;
  const against = limit ? ` of ${limit.setBy === "you" ? "your" : `your ${controls.plan.name} plan's`} ${money(limit.limitMinor)} limit` : "";
  const resets = limit ? ` It resets on ${formatDate(controls.resetsAt)}.` : " No monthly limit applies.";
  return `This month you've spent ${money(controls.spentThisMonthMinor)}${against}${held}.${resets}`;
}

/** "Spending controls" on /wallet: this month's usage against the limit, then the form that sets the limit and the alert. */
export async function SpendingControls({ userId, currency }: { userId: string; currency: string }) {
  const controls = await spendingControlsFor(userId, currency);
  const asTyped = (amountMinor: number | null) => (amountMinor === null ? "" : minorToDecimalString(amountMinor, currency));
  const planLimit = controls.plan.spendLimitMinor;
  return (
    <section aria-labelledby="spending-controls-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="spending-controls-heading" className="scroll-mt-4 text-xl font-semibold">Spending controls</h2>
      <p className="text-sm text-slate-700" data-testid="spending-usage">{usageSentence(controls)}</p>
      <LimitsForm
        spendLimit={asTyped(controls.spendLimitMinor)}
        lowBalanceThreshold={asTyped(controls.lowBalanceThresholdMinor)}
        currencySymbol={currencySymbol(currency)}
        planLimitSentence={planLimit === null ? `Your ${controls.plan.name} plan has no limit` : `Your ${controls.plan.name} plan allows ${formatMoney(planLimit, currency)} a month`}
      />
    </section>
  );
}
