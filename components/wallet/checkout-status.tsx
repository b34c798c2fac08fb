"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatMoney } from "@/lib/money";

type PurchaseStatus = "pending" | "processing" | "paid" | "failed" | "expired";
interface StatusResponse {
  wallet: { balanceMinor: number; currency: string };
  purchase: { status: PurchaseStatus; amountMinor: number; currency: string; failureMessage: string | null } | null;
}

const POLL_MS = 1000;
const GIVE_UP_MS = 3 * 60_000;

// Shows the purchase as Stripe's webhook reports it; this page never credits anything itself.
export function CheckoutStatus({ sessionId }: { sessionId: string }) {
  const router = useRouter();
  const [data, setData] = useState<StatusResponse | null>(null);
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    let stopped = false;
    const started = Date.now();
    async function poll() {
      if (stopped) return;
      try {
        const response = await fetch(`/api/wallet?session_id=${encodeURIComponent(sessionId)}`, { cache: "no-store" });
        if (response.ok) {
          const body: StatusResponse = await response.json();
          setData(body);
          const status = body.purchase?.status;
          if (status === "paid" || status === "failed" || status === "expired") {
            router.refresh();
            return;
          }
        }
      } catch {
        // A dropped poll is retried below.
      }
      if (Date.now() - started > GIVE_UP_MS) setGaveUp(true);
      else setTimeout(poll, POLL_MS);
    }
    void poll();
    return () => {
      stopped = true;
    };
  }, [sessionId, router]);

  const purchase = data?.purchase;
  if (data && purchase?.status === "paid") {
    return (
      <Banner tone="success">
        Payment received: {formatMoney(purchase.amountMinor, purchase.currency)} added. Your balance is now{" "}
        <strong data-testid="checkout-new-balance">{formatMoney(data.wallet.balanceMinor, data.wallet.currency)}</strong>.
      </Banner>
    );
  }
  if (purchase?.status === "failed") {
    return <Banner tone="error">Payment failed{purchase.failureMessage ? `: ${purchase.failureMessage}` : "."} Nothing was added to your wallet.</Banner>;
  }
  if (purchase?.status === "expired") return <Banner tone="error">This checkout expired before it was paid. Nothing was charged.</Banner>;
  if (data && !purchase) return <Banner tone="error">We couldn&apos;t find that checkout on your account.</Banner>;
  if (gaveUp) {
    return <Banner tone="info">Payment still processing. Your wallet will update when Stripe confirms it; you can leave this page.</Banner>;
  }
  return (
    <Banner tone="info">
      <span className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-sky-700 border-t-transparent align-middle" aria-hidden="true" />{" "}
      Payment processing… we&apos;ll update your balance as soon as Stripe confirms it.
    </Banner>
  );
}

function Banner({ tone, children }: { tone: "success" | "error" | "info"; children: React.ReactNode }) {
  const styles = {
    success: "border-emerald-200 bg-emerald-50 text-emerald-900",
    error: "border-red-200 bg-red-50 text-red-900",
    info: "border-sky-200 bg-sky-50 text-sky-900",
  }[tone];
  return (
    <div role="status" aria-live="polite" data-testid="checkout-status" className={`rounded-lg border px-4 py-3 ${styles}`}>
      {children}
    </div>
  );
}
