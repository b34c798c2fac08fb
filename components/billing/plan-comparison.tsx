"use client";

import Link from "next/link";
import { FormError } from "@/components/form";
import type { PlanAction } from "@/lib/billing";
import { CheckoutNotice } from "@/components/checkout/checkout-notice";
import type { StripeJsConfig } from "@/components/checkout/stripe-js";
import { useEmbeddedUpgrade } from "./embedded-upgrade";

export interface PlanCard {
  key: string;
  name: string;
  /** "£15.00", formatted by the page. */
  price: string;
  highlights: string[];
  purchasable: boolean;
}

export function PlanComparison({
  plans,
  actions,
  highlightKey,
  stripeJs = null,
}: {
  plans: PlanCard[];
  actions: Record<string, PlanAction>;
  highlightKey: string | null;
  stripeJs?: StripeJsConfig | null;
}) {
  const checkout = useEmbeddedUpgrade(stripeJs, Object.fromEntries(plans.map((plan) => [plan.key, plan.name])));
  const { state, formAction: upgrade, pending } = checkout;
  return (
    <section aria-labelledby="plans-heading" className="space-y-4">
      <h2 id="plans-heading" className="text-xl font-semibold">Plans</h2>
      <ul className="grid gap-4 sm:grid-cols-3">
        {plans.map((plan) => {
          const action = actions[plan.key] ?? "downgrade";
          const highlighted = plan.key === highlightKey && action === "upgrade";
          return (
            <li
              key={plan.key}
              data-testid={`plan-${plan.key}`}
              aria-current={action === "current" ? "true" : undefined}
              className={`flex flex-col rounded-lg border bg-white p-5 shadow-sm ${
                action === "current" ? "border-emerald-400" : highlighted ? "border-indigo-500 ring-2 ring-indigo-300" : "border-slate-200"
              }`}
            >
              <div className="flex items-center justify-between gap-2">
                <h3 className="text-lg font-semibold">{plan.name}</h3>
                {action === "current" && <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">Your plan</span>}
                {highlighted && <span className="rounded bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800">Your choice</span>}
              </div>
              <p className="mt-2 text-2xl font-bold tabular-nums">
                {plan.price}
                <span className="text-base font-normal text-slate-500"> / month</span>
              </p>
              <ul className="mt-3 space-y-1 text-sm text-slate-600">
                {plan.highlights.map((highlight) => (
                  <li key={highlight}>
                    <span aria-hidden="true">✓ </span>
                    {highlight}
                  </li>
                ))}
              </ul>
              <div className="mt-auto pt-4">
                {action === "upgrade" && plan.purchasable && (
                  <form action={upgrade} onSubmit={checkout.rememberOpener}>
                    <input type="hidden" name="planKey" value={plan.key} />
                    {checkout.checkoutUiField}
                    <button
                      type="submit"
                      disabled={pending}
                      aria-busy={pending}
                      aria-label={pending ? undefined : `Upgrade to ${plan.name} for ${plan.price} a month`}
                      // A plan chosen on the landing page is waiting for this click; payment never starts on its own.
                      autoFocus={highlighted}
                      className="w-full rounded bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:cursor-wait disabled:opacity-60"
                    >
                      {pending ? (checkout.embedded ? "Opening the payment form…" : "Redirecting to Stripe…") : `Upgrade to ${plan.name}`}
                    </button>
                  </form>
                )}
                {action === "change" && (
                  // Opens the switch's confirmation on this page (PlanSwitchPanel), with what it costs first.
                  <Link
                    href={`/billing?switch=${encodeURIComponent(plan.key)}`}
                    aria-label={`Change plan to ${plan.name}`}
                    className="block w-full rounded border border-slate-300 bg-white px-4 py-2 text-center font-medium text-slate-800 hover:bg-slate-50"
                  >
                    Change plan
                  </Link>
                )}
                {action === "downgrade" && <p className="text-sm text-slate-600">To return to {plan.name}, cancel your plan in Manage billing.</p>}
              </div>
            </li>
          );
        })}
      </ul>
      <FormError>{state.error}</FormError>
      <CheckoutNotice message={checkout.notice} />
      {checkout.dialog}
    </section>
  );
}
