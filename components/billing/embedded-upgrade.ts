"use client";

import { useRouter } from "next/navigation";
import { cancelEmbeddedUpgrade, upgradeToPlan } from "@/lib/actions/billing";
import { useEmbeddedCheckout } from "@/components/checkout/use-embedded-checkout";
import type { StripeJsConfig } from "@/components/checkout/stripe-js";

// The plan upgrade's form state for /billing: Checkout embedded in a dialog when Stripe.js loads,
// else the hosted page. Its outcome is shown as after a return from the hosted page (?checkout=, the
// billing page's notice), reached without leaving or reloading the page. Closed unpaid, the session
// is expired at Stripe first.
export function useEmbeddedUpgrade(stripeJs: StripeJsConfig | null, planNames: Record<string, string>) {
  const router = useRouter();
  const succeeded = (sessionId: string) => router.replace(`/billing?checkout=success&session_id=${encodeURIComponent(sessionId)}`, { scroll: false });
  return useEmbeddedCheckout(upgradeToPlan, {
    config: stripeJs,
    title: ({ reference }) => `Upgrade to ${planNames[reference] ?? "a paid plan"}`,
    onComplete: ({ sessionId }) => succeeded(sessionId),
    onClose: ({ sessionId }) => {
      const form = new FormData();
      form.set("sessionId", sessionId);
      void cancelEmbeddedUpgrade({}, form)
        .catch(() => ({ code: undefined }))
        .then((result) => (result.code === "checkout_completed" ? succeeded(sessionId) : router.replace("/billing?checkout=canceled", { scroll: false })));
    },
  });
}
