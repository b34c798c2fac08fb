"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { cancelPurchase } from "@/lib/actions/wallet";
import type { PurchaseState, PurchaseTone, PurchaseView } from "@/lib/payments/purchases/labels";
import { forgetSearchParams } from "@/components/forget-search-params";

// The banner after a return from Checkout. It describes the purchase as it is now (from the server's
// state, never from the URL), so a late look after a refund or dispute says so instead of repeating
// "added". It removes ?purchase=…&checkout=… once shown, so a reload does not show it again. Back from
// Checkout's cancel link it cancels the purchase (Stripe expires the session first); while the outcome
// is still to come from Stripe it asks GET /api/wallet every second. It never changes money itself.

export type CheckoutReturn = "success" | "canceled";

const POLL_MS = 1000;
const GIVE_UP_MS = 3 * 60_000;
const CHECKOUT_PARAMS = ["purchase", "checkout", "session_id"];

const HEADINGS: Record<PurchaseState, string> = {
  awaiting_payment: "Not paid yet.",
  processing: "Payment processing.",
  paid: "Payment received.",
  failed: "Payment failed.",
  expired: "Checkout expired.",
  canceled: "Checkout canceled.",
  refunded: "Refunded.",
  partially_refunded: "Partially refunded.",
  disputed: "Payment disputed.",
  dispute_won: "Dispute won.",
  dispute_lost: "Dispute lost.",
};

/** The address without the checkout parameters, keeping any others (an entry list page cursor). */
async function fetchPurchase(purchaseId: string): Promise<PurchaseView | null | undefined> {
  try {
    const response = await fetch(`/api/wallet?purchase=${encodeURIComponent(purchaseId)}`, { cache: "no-store" });
    if (!response.ok) return undefined;
    const body: { purchase: PurchaseView | null } = await response.json();
    return body.purchase;
  } catch {
    // A dropped request is asked again.
    return undefined;
  }
}

/** Not paid, and its session still takes payment: awaiting payment, or an earlier attempt declined in a session still open. */
function isStillPayable(view: PurchaseView): boolean {
  return view.state === "awaiting_payment" || (view.state === "failed" && view.resumeUrl !== null);
}

/** Back from Checkout's cancel link with the purchase still payable: it is to be canceled at Stripe. */
function isToCancel(initial: PurchaseView | null, returned: CheckoutReturn | null): boolean {
  return returned === "canceled" && initial !== null && isStillPayable(initial);
}

/**
 * Back from a completed Checkout, the purchase waits for Stripe's word: still awaiting payment, or
 * showing an earlier attempt's decline in the same session (the payment that followed has not landed).
 */
function isConfirming(view: PurchaseView, paymentExpected: boolean): boolean {
  return paymentExpected && isStillPayable(view);
}

/**
 * Always rendered by the wallet page (with `initial` only on a return from Checkout), so that the
 * refreshes after the address is cleaned keep what it shows. A later return on the same page (the
 * embedded Checkout dialog completing or closing, components/wallet/buy-credits.tsx) starts over.
 */
export function CheckoutStatus({ initial, returned }: { initial: PurchaseView | null; returned: CheckoutReturn | null }) {
  const router = useRouter();
  // A payment is on its way to the webhooks: back from a completed Checkout, or a cancel that lost to one.
  const [paymentExpected, setPaymentExpected] = useState(returned === "success");
  const [view, setView] = useState<PurchaseView | null>(initial);
  const [missing] = useState(returned !== null && initial === null);
  const [canceling, setCanceling] = useState(() => isToCancel(initial, returned));
  const [notice, setNotice] = useState<string | null>(null);
  const [gaveUp, setGaveUp] = useState(false);
  const mounted = useRef(false);
  // The return being shown: one per purchase and outcome, so a refresh without one keeps it.
  const returnKey = returned !== null ? `${initial?.id ?? ""}:${returned}` : null;
  const [shownReturn, setShownReturn] = useState(returnKey);
  const started = useRef<string | null>(null);
  if (returnKey !== null && returnKey !== shownReturn) {
    setShownReturn(returnKey);
    setPaymentExpected(returned === "success");
    setView(initial);
    setCanceling(isToCancel(initial, returned));
    setNotice(null);
    setGaveUp(false);
  }

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    // Once per return, and not again for the refreshes that follow (their props carry no return).
    if (returnKey === null || started.current === returnKey) return;
    started.current = returnKey;
    const purchaseId = initial?.id ?? null;
    const since = Date.now();
    let expectingPayment = returned === "success";
    const awaitsOutcome = (latest: PurchaseView) => latest.unsettled || isConfirming(latest, expectingPayment);

    async function poll(id: string) {
      if (!mounted.current) return;
      const latest = await fetchPurchase(id);
      if (!mounted.current) return;
      if (latest) {
        setView(latest);
        if (!awaitsOutcome(latest)) {
          // The list and the balance beside the banner catch up with the outcome.
          router.refresh();
          return;
        }
      }
      if (Date.now() - since > GIVE_UP_MS) setGaveUp(true);
      else setTimeout(() => void poll(id), POLL_MS);
    }

    async function cancelThenShow(id: string) {
      const form = new FormData();
      form.set("purchaseId", id);
      try {
        const result = await cancelPurchase({}, form);
        if (result.error) setNotice(result.error);
        if (result.code === "checkout_completed") {
          expectingPayment = true;
          setPaymentExpected(true);
        }
      } catch {
        setNotice("We couldn't reach the server to cancel this checkout. Nothing has been charged; you can cancel it from the list below.");
      }
      const latest = await fetchPurchase(id);
      if (!mounted.current) return;
      setCanceling(false);
      if (latest) setView(latest);
      router.refresh();
      // Completed at Stripe just before the cancel: its outcome is on its way.
      if (latest && awaitsOutcome(latest)) setTimeout(() => void poll(id), POLL_MS);
    }

    // After this commit, once Next's router listens to history changes (its own effect runs after
    // ours), so that its later refreshes keep the cleaned address.
    setTimeout(() => {
      // Shown: a reload or a shared link must not show it again.
      forgetSearchParams(CHECKOUT_PARAMS);
      if (!initial || purchaseId === null) return;
      if (isToCancel(initial, returned)) void cancelThenShow(purchaseId);
      else if (awaitsOutcome(initial)) void poll(purchaseId);
    }, 0);
  }, [initial, returned, returnKey, router]);

  if (missing) return <Banner tone="danger" state="missing">We couldn&apos;t find that checkout on your account.</Banner>;
  if (!view) return null;
  if (canceling) {
    return (
      <Banner tone="info" state="canceling">
        <Spinner /> Canceling this checkout at Stripe…
      </Banner>
    );
  }
  const purchaseLine = (
    <span className="mt-1 block text-sm opacity-80">
      {view.name}, {view.amount}
    </span>
  );
  if (isConfirming(view, paymentExpected)) {
    return (
      <Banner tone="info" state="confirming">
        {notice && <span className="mb-1 block font-medium">{notice}</span>}
        {gaveUp ? (
          <>
            <strong>Not confirmed yet.</strong> Stripe hasn&apos;t confirmed this payment yet. Your wallet updates when it does; you can leave this page.
          </>
        ) : (
          <>
            <Spinner /> <strong>Confirming your payment with Stripe…</strong> Your wallet updates as soon as it does.
          </>
        )}
        {purchaseLine}
      </Banner>
    );
  }
  const waiting = view.state === "processing" && !gaveUp;
  return (
    <Banner tone={view.tone} state={view.state}>
      {notice && <span className="mb-1 block font-medium">{notice}</span>}
      {waiting && <Spinner />} <strong>{HEADINGS[view.state]}</strong> {view.sentence}
      {purchaseLine}
    </Banner>
  );
}

function Spinner() {
  return <span className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent align-middle" aria-hidden="true" />;
}

const TONE_STYLES: Record<PurchaseTone, string> = {
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  danger: "border-red-200 bg-red-50 text-red-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  info: "border-sky-200 bg-sky-50 text-sky-900",
  neutral: "border-slate-200 bg-white text-slate-800",
};

function Banner({ tone, state, children }: { tone: PurchaseTone; state: string; children: React.ReactNode }) {
  return (
    <div role="status" aria-live="polite" data-testid="checkout-status" data-state={state} className={`rounded-lg border px-4 py-3 ${TONE_STYLES[tone]}`}>
      {children}
    </div>
  );
}
