"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { buyCredits, resumeTopUpCheckout } from "@/lib/actions/wallet";
import { forgetSearchParams } from "@/components/forget-search-params";
import { Field, FormError, SubmitButton } from "@/components/form";
import { CheckoutNotice } from "@/components/checkout/checkout-notice";
import { useEmbeddedCheckout } from "@/components/checkout/use-embedded-checkout";
import type { StripeJsConfig } from "@/components/checkout/stripe-js";

export interface PackView {
  key: string;
  name: string;
  price: string;
}

// Each pack and the custom amount is its own form on one action state: while any of them is taking
// the person to Stripe, every button is disabled (the clicked one says so), so one click starts one
// Checkout. The custom amount keeps what was typed after an error, with the error under the field.
// With Stripe.js loaded, Checkout opens in a dialog here; its outcome is then shown by the wallet's
// checkout banner (components/wallet/checkout-status.tsx) exactly as after a return from the hosted
// page: the address takes the return's parameters, without leaving or reloading the page.
export function BuyCredits({
  packs,
  minLabel,
  maxLabel,
  currencySymbol,
  stripeJs,
  resumePurchaseId = null,
}: {
  packs: PackView[];
  minLabel: string;
  maxLabel: string;
  currencySymbol: string;
  stripeJs: StripeJsConfig | null;
  /** An open embedded purchase whose "Resume payment" link led here (?checkout=resume): its form reopens. */
  resumePurchaseId?: string | null;
}) {
  const router = useRouter();
  const [resumeProblem, setResumeProblem] = useState<string | null>(null);
  const { state, formAction: action, rememberOpener, pending, embedded, checkoutUiField, dialog, notice, openStarted } = useEmbeddedCheckout(buyCredits, {
    config: stripeJs,
    title: () => "Add credit",
    onComplete: ({ reference, sessionId }) =>
      router.replace(`/wallet?purchase=${encodeURIComponent(reference)}&checkout=success&session_id=${encodeURIComponent(sessionId)}`, { scroll: false }),
    // As Checkout's cancel link: the banner cancels the purchase (Stripe expires the session) and says so.
    onClose: ({ reference }) => router.replace(`/wallet?purchase=${encodeURIComponent(reference)}&checkout=canceled`, { scroll: false }),
  });
  useEffect(() => {
    if (!resumePurchaseId || !embedded) return;
    // Once: the address loses ?purchase=…&checkout=resume, so a reload does not reopen it.
    forgetSearchParams(["purchase", "checkout"]);
    const form = new FormData();
    form.set("purchaseId", resumePurchaseId);
    void resumeTopUpCheckout({}, form).then(
      (result) => (result.checkout ? openStarted(result.checkout) : setResumeProblem(result.error ?? null)),
      () => setResumeProblem("We couldn't reach the server to resume this checkout. Nothing was charged; please try again."),
    );
  }, [resumePurchaseId, embedded, openStarted]);
  const pendingLabel = embedded ? "Opening the payment form…" : "Redirecting to Stripe…";
  return (
    <section aria-labelledby="buy-heading" className="space-y-4">
      <h2 id="buy-heading" className="text-xl font-semibold">Add credit</h2>
      <ul className="grid gap-4 sm:grid-cols-3">
        {packs.map((pack) => (
          <li key={pack.key} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <form action={action} onSubmit={rememberOpener} className="flex h-full flex-col gap-3">
              <input type="hidden" name="packKey" value={pack.key} />
              {checkoutUiField}
              <p className="font-semibold">{pack.name}</p>
              <p className="text-2xl font-bold tabular-nums">{pack.price}</p>
              <SubmitButton
                disabled={pending}
                label={`Buy ${pack.name} pack for ${pack.price}`}
                pendingLabel={pendingLabel}
                className="mt-auto rounded bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700"
              >
                {`Buy ${pack.name}`}
              </SubmitButton>
            </form>
          </li>
        ))}
      </ul>
      <form action={action} onSubmit={rememberOpener} className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" noValidate>
        {checkoutUiField}
        <Field
          label={`Custom amount (${currencySymbol})`}
          id="custom-amount"
          name="amount"
          state={state}
          inputMode="decimal"
          placeholder="25.00"
          required
          hint={`Between ${minLabel} and ${maxLabel}`}
          inputClassName="w-40 rounded border border-slate-500 px-3 py-2 tabular-nums aria-[invalid=true]:border-red-600"
        />
        <SubmitButton disabled={pending} pendingLabel={pendingLabel} className="mt-6 rounded border border-indigo-600 bg-white px-4 py-2 font-medium text-indigo-700 hover:bg-indigo-50">
          Top up
        </SubmitButton>
      </form>
      <FormError state={state} />
      <CheckoutNotice message={resumeProblem ?? notice} />
      {dialog}
    </section>
  );
}
