"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import "@/lib/core/zod-csp";
import { z } from "zod";
import { describeBillingChanges, type BillingLook, type BillingReturn } from "@/lib/billing/labels";
import { forgetSearchParams } from "@/components/forget-search-params";

// The banner on a return to /billing from Checkout or the Customer Portal (or after a plan switch confirmed on the page). The server decides whether
// there is one (lib/billing/returns.ts); this shows it from the billing state, never from the address:
// it removes ?checkout=…&session_id=…&portal=… once shown, so a reload shows nothing. Stripe's
// webhooks may land a moment after the browser is back, so it polls GET /api/billing and refreshes the
// page (router.refresh) each time the billing state's version changes. Back from the portal it names
// what changed there, comparing the state from before the portal with each new answer.

const POLL_MS = 1000;
const GIVE_UP_MS = 30_000;
/** Back from the portal with nothing changed after this long: the person changed nothing there. */
const QUIET_MS = 5000;
const RETURN_PARAMS = ["checkout", "session_id", "portal"];

const answerSchema = z.object({
  version: z.string(),
  plan: z.object({ key: z.string(), name: z.string(), paid: z.boolean() }),
  subscription: z.object({ status: z.string(), cancelsAt: z.string().nullable() }).nullable(),
});

type Phase = "watching" | "quiet" | "gave_up";

/**
 * Always rendered by the billing page (with `notice` only on a return), so that the refreshes after
 * the address is cleaned keep what it shows.
 */
export function BillingReturnNotice({ notice }: { notice: BillingReturn | null }) {
  const router = useRouter();
  // The first render's notice; the refreshes that follow carry none. A later return on the same page
  // (a plan switch confirmed here, or the embedded Checkout dialog completing or closing,
  // components/billing/embedded-upgrade.ts) replaces it; the same notice again does not restart the watch.
  const [shown, setShown] = useState(notice);
  const [received, setReceived] = useState(notice);
  const [now, setNow] = useState<BillingLook | null>(shown && shown.kind !== "message" ? shown.now : null);
  const [phase, setPhase] = useState<Phase>("watching");
  if (notice !== received) {
    setReceived(notice);
    if (notice && JSON.stringify(notice) !== JSON.stringify(shown)) {
      setShown(notice);
      setNow(notice.kind !== "message" ? notice.now : null);
      setPhase("watching");
    }
  }

  useEffect(() => {
    // After this commit, once Next's router listens to history changes (its own effect runs after ours).
    const cleaning = setTimeout(() => forgetSearchParams(RETURN_PARAMS), 0);
    if (!shown || shown.kind === "message") return () => clearTimeout(cleaning);

    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seenVersion = shown.version;
    const started = Date.now();
    async function poll() {
      if (stopped) return;
      try {
        const response = await fetch("/api/billing", { cache: "no-store" });
        const answer = answerSchema.safeParse(response.ok ? await response.json() : null);
        if (!stopped && answer.success && answer.data.version !== seenVersion) {
          seenVersion = answer.data.version;
          setNow({ plan: answer.data.plan, subscription: answer.data.subscription });
          router.refresh();
        }
      } catch {
        // A dropped poll is retried on the next tick.
      }
      if (stopped) return;
      const elapsed = Date.now() - started;
      if (elapsed >= QUIET_MS) setPhase((current) => (current === "watching" ? "quiet" : current));
      // Keep watching for the whole window: one change (the subscription) is often followed by another (its invoice and credit).
      if (elapsed < GIVE_UP_MS) timer = setTimeout(poll, POLL_MS);
      else setPhase("gave_up");
    }
    timer = setTimeout(poll, 0);
    return () => {
      stopped = true;
      clearTimeout(cleaning);
      clearTimeout(timer);
    };
  }, [shown, router]);

  if (!shown) return null;
  if (shown.kind === "message") {
    return (
      <div role="status" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-slate-700">
        {shown.text}
      </div>
    );
  }
  const look = now ?? shown.now;
  if (shown.kind === "checkout") {
    if (look.plan.paid) return <Notice tone="success">Thanks! You&apos;re on the {look.plan.name} plan.</Notice>;
    if (phase === "gave_up") return <Notice tone="info">Stripe hasn&apos;t confirmed your payment yet. This page will show your plan once it does; you can leave it.</Notice>;
    return <Confirming>your plan will appear here in a moment.</Confirming>;
  }
  const changes = describeBillingChanges(shown.before, look);
  if (changes.length > 0) return <Notice tone="success">{changes.join(" ")}</Notice>;
  if (shown.kind === "switch") {
    if (phase === "gave_up") return <Notice tone="info">Stripe hasn&apos;t confirmed the change yet. This page will show your new plan once it does; you can leave it.</Notice>;
    return <Confirming>your new plan will appear here in a moment.</Confirming>;
  }
  if (phase === "watching") return <Confirming>changes you made in the billing portal will appear here in a moment.</Confirming>;
  return <Notice tone="info">Nothing changed in the billing portal.</Notice>;
}

function Confirming({ children }: { children: React.ReactNode }) {
  return (
    <Notice tone="info">
      <span className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-sky-700 border-t-transparent align-middle" aria-hidden="true" />{" "}
      {`Confirming with Stripe… `}
      {children}
    </Notice>
  );
}

function Notice({ tone, children }: { tone: "success" | "info"; children: React.ReactNode }) {
  const styles = tone === "success" ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-sky-200 bg-sky-50 text-sky-900";
  return (
    <div role="status" aria-live="polite" data-testid="billing-sync-notice" className={`rounded-lg border px-4 py-3 ${styles}`}>
      {children}
    </div>
  );
}
