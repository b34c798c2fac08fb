import { randomUUID } from "node:crypto";
import { cache, Suspense } from "react";
import { StatusBadge, type StatusTone } from "@/components/status-badge";
import { AutoRechargeSettingsForm, SaveCardButton, TurnBackOnButton } from "@/components/wallet/auto-recharge-forms";
import { formatDate, formatDateTime } from "@/lib/core/format";
import type { StripeJsConfig } from "@/components/checkout/stripe-js";
import type { RechargeStatus } from "@/lib/generated/prisma/browser";
import { currencySymbol, formatMoney, minorToDecimalString } from "@/lib/core/money";
import { cardBrandName } from "@/lib/payments/purchases/labels";
import { getAutoRechargeView, type AutoRechargeOff, type CardOnFile } from "@/lib/payments/recharges";

// Auto-recharge on /wallet: the section (id="auto-recharge", which the failure email links to) with the
// saved card, the settings, this month's recharges against the cap and the latest recharges; and the
// banner at the top of the page when Billfold switched it off. Each loads its own data (once per
// request, shared through cache()), so the page only places them.

const loadView = cache((userId: string) => getAutoRechargeView(userId));

const RECHARGE_STATUS: Record<RechargeStatus, { label: string; tone: StatusTone }> = {
  pending: { label: "Starting", tone: "info" },
  processing: { label: "Processing", tone: "info" },
  succeeded: { label: "Added", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};

/** "Visa •••• 4242" */
function cardLabel(card: CardOnFile): string {
  const brand = card.brand ? cardBrandName(card.brand) : "Card";
  return card.last4 ? `${brand} •••• ${card.last4}` : brand;
}

/** What the person is told on the way back from Stripe's card page (?card=). */
const CARD_RETURN_NOTICES = {
  saved: { text: "Card saved.", tone: "text-emerald-900 border-emerald-200 bg-emerald-50" },
  pending: { text: "Stripe is still confirming your card; it appears here in a moment. Reload the page if it doesn't.", tone: "text-sky-900 border-sky-200 bg-sky-50" },
  canceled: { text: "No card was saved.", tone: "text-slate-800 border-slate-200 bg-slate-50" },
} as const;

export type CardReturn = keyof typeof CARD_RETURN_NOTICES;

export function isCardReturn(value: string | undefined): value is CardReturn {
  return value !== undefined && value in CARD_RETURN_NOTICES;
}

export function AutoRecharge({ userId, cardReturn: returned, stripeJs = null }: { userId: string; cardReturn?: string; stripeJs?: StripeJsConfig | null }) {
  // Return addresses handed to Stripe before the spelling changed still say "cancelled" (old name, kept).
  const cardReturn = returned === "cancelled" ? "canceled" : returned; // old name, kept
  return (
    <Suspense fallback={<AutoRechargeSkeleton />}>
      <AutoRechargeSection userId={userId} cardReturn={isCardReturn(cardReturn) ? cardReturn : null} stripeJs={stripeJs} />
    </Suspense>
  );
}

function AutoRechargeSkeleton() {
  return (
    <section aria-labelledby="auto-recharge-heading" aria-busy="true" className="space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="auto-recharge-heading" className="text-xl font-semibold">Auto-recharge</h2>
      <p role="status" className="text-sm text-slate-600">Loading auto-recharge…</p>
      <div aria-hidden="true" className="h-24 animate-pulse rounded bg-slate-100" />
    </section>
  );
}

async function AutoRechargeSection({ userId, cardReturn, stripeJs }: { userId: string; cardReturn: CardReturn | null; stripeJs: StripeJsConfig | null }) {
  const view = await loadView(userId);
  const { settings } = view;
  const money = (amountMinor: number) => formatMoney(amountMinor, settings.currency);
  const decimal = (amountMinor: number) => minorToDecimalString(amountMinor, settings.currency);
  const notice = cardReturn ? CARD_RETURN_NOTICES[cardReturn] : null;
  return (
    <section id="auto-recharge" aria-labelledby="auto-recharge-heading" className="scroll-mt-4 space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="auto-recharge-heading" className="text-xl font-semibold">Auto-recharge</h2>
        <span data-testid="auto-recharge-state" data-enabled={settings.enabled}>
          <StatusBadge tone={settings.enabled ? "success" : "neutral"}>{settings.enabled ? "On" : "Off"}</StatusBadge>
        </span>
      </div>
      <p className="text-sm text-slate-700">
        When spending takes your balance below the threshold, Billfold charges your saved card to bring it back up to the target, never more than
        the monthly cap in a calendar month. If the card can&apos;t be charged, auto-recharge switches itself off and we tell you.
      </p>
      {notice && (
        <p role="status" className={`rounded border px-3 py-2 text-sm ${notice.tone}`}>
          {notice.text}
          {cardReturn === "saved" && !settings.enabled && " Turn on auto-recharge below to use it."}
        </p>
      )}

      <div className="flex flex-wrap items-center justify-between gap-3 rounded border border-slate-200 px-4 py-3">
        {settings.card ? (
          <p className="text-sm">
            Card: <span data-testid="auto-recharge-card" className="font-medium">{cardLabel(settings.card)}</span>
          </p>
        ) : (
          <p className="text-sm text-slate-700">No card saved yet. Save one on Stripe&apos;s secure page; Billfold never sees the card number.</p>
        )}
        <SaveCardButton requestKey={randomUUID()} label={settings.card ? "Replace card" : "Save a card"} stripeJs={stripeJs} />
      </div>

      <AutoRechargeSettingsForm
        initial={{ enabled: settings.enabled, threshold: decimal(settings.thresholdMinor), target: decimal(settings.targetMinor), monthlyCap: decimal(settings.monthlyCapMinor) }}
        currencySymbol={currencySymbol(settings.currency)}
        hasCard={settings.card !== null}
      />

      <div className="space-y-1">
        <p className="text-sm text-slate-700" data-testid="auto-recharge-month">
          This month: <span className="font-medium tabular-nums">{money(view.monthToDateMinor)}</span> recharged of your{" "}
          <span className="tabular-nums">{money(settings.monthlyCapMinor)}</span> cap. It resets on {formatDate(view.monthResetsAt)}.
        </p>
        <meter className="h-2 w-full" min={0} max={settings.monthlyCapMinor} value={Math.min(view.monthToDateMinor, settings.monthlyCapMinor)} aria-label="Recharged this month against the cap" />
      </div>

      <div className="space-y-2">
        <h3 className="font-medium">Recent recharges</h3>
        {view.recent.length === 0 ? (
          <p className="text-sm text-slate-600">No recharges yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded border border-slate-200" data-testid="recharge-list">
            {view.recent.map((recharge) => (
              <li key={recharge.id} data-testid="recharge-row" data-status={recharge.status} className="space-y-1 px-4 py-2 text-sm">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <span className="font-semibold tabular-nums">{formatMoney(recharge.amountMinor, recharge.currency)}</span>
                  <StatusBadge tone={RECHARGE_STATUS[recharge.status].tone}>{RECHARGE_STATUS[recharge.status].label}</StatusBadge>
                  <time className="text-slate-500" dateTime={recharge.createdAt.toISOString()}>
                    {formatDateTime(recharge.createdAt)}
                  </time>
                </div>
                {recharge.status === "failed" && recharge.failureMessage && <p className="text-red-800">{recharge.failureMessage} Nothing was charged.</p>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** At the top of /wallet while auto-recharge is off because a recharge failed: why, and how to fix it. */
export function AutoRechargeBanner({ userId }: { userId: string }) {
  return (
    <Suspense fallback={null}>
      <SwitchedOffBanner userId={userId} />
    </Suspense>
  );
}

async function SwitchedOffBanner({ userId }: { userId: string }) {
  const view = await loadView(userId);
  if (!view.switchedOff) return null;
  const { settings } = view;
  return (
    <div role="alert" data-testid="auto-recharge-banner" className="space-y-3 rounded-lg border border-red-300 bg-red-50 p-4 text-red-900">
      <p className="font-semibold">Auto-recharge is off</p>
      <p className="text-sm">{bannerSentence(view.switchedOff, settings.currency)}</p>
      <p className="text-sm">
        {view.switchedOff.needsAnotherCard
          ? "Save a different card, then turn auto-recharge back on. Until then, top up by hand to keep going."
          : "Save another card, or turn auto-recharge back on to try this card again. Until then, top up by hand to keep going."}
        {settings.card && ` The card on file is ${cardLabel(settings.card)}.`}
      </p>
      <div className="flex flex-wrap items-start gap-3">
        <SaveCardButton requestKey={randomUUID()} label="Save another card" />
        {settings.card && <TurnBackOnButton />}
        <a href="#auto-recharge" className="self-center text-sm font-medium text-red-900 underline">
          Review auto-recharge settings
        </a>
      </div>
    </div>
  );
}

function bannerSentence(off: AutoRechargeOff, currency: string): string {
  const when = off.at ? ` on ${formatDate(off.at)}` : "";
  const what = off.failedRecharge ? `We couldn't add ${formatMoney(off.failedRecharge.amountMinor, currency)} to your wallet${when}.` : `We couldn't charge your card${when}.`;
  return `${what} ${off.reason} We switched auto-recharge off so we don't keep trying.`;
}
