"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import "@/lib/zod-csp";
import { z } from "zod";

// After Checkout or the portal, Stripe tells Billfold what changed through webhooks, which may land
// a moment after the browser comes back. This notice polls GET /api/billing and refreshes the page
// (router.refresh) each time the billing state's version changes, so the new plan, status or
// cancellation date appears without a manual reload. The page itself never changes anything.

const POLL_MS = 1000;
const GIVE_UP_MS = 30_000;
/** Back from the portal with nothing to show after this long: the user probably changed nothing (or it landed before the page). */
const QUIET_MS = 5000;

const answerSchema = z.object({ version: z.string(), plan: z.object({ key: z.string(), name: z.string(), paid: z.boolean() }) });

type Phase = "confirming" | "updated" | "unchanged" | "slow";

export function BillingSyncNotice({
  reason,
  initialVersion,
  initialPlan,
}: {
  reason: "checkout" | "portal";
  initialVersion: string;
  initialPlan: { key: string; name: string; paid: boolean };
}) {
  const router = useRouter();
  // Stripe may have beaten the browser back: the page already shows the new plan.
  const [phase, setPhase] = useState<Phase>(reason === "checkout" && initialPlan.paid ? "updated" : "confirming");
  const [plan, setPlan] = useState(initialPlan);
  const seenVersion = useRef(initialVersion);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    async function poll() {
      if (stopped) return;
      try {
        const response = await fetch("/api/billing", { cache: "no-store" });
        const answer = answerSchema.safeParse(response.ok ? await response.json() : null);
        if (answer.success && answer.data.version !== seenVersion.current) {
          seenVersion.current = answer.data.version;
          setPlan(answer.data.plan);
          setPhase("updated");
          router.refresh();
        }
      } catch {
        // A dropped poll is retried on the next tick.
      }
      const elapsed = Date.now() - started;
      if (reason === "portal" && elapsed >= QUIET_MS) setPhase((current) => (current === "confirming" ? "unchanged" : current));
      // Keep watching for the whole window: one change (the subscription) is often followed by another (its invoice and credit).
      if (elapsed < GIVE_UP_MS) timer = setTimeout(poll, POLL_MS);
      else setPhase((current) => (current === "confirming" ? "slow" : current));
    }
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [reason, router]);

  if (phase === "confirming") {
    return (
      <Notice tone="info">
        <span className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-sky-700 border-t-transparent align-middle" aria-hidden="true" />{" "}
        Confirming with Stripe… {reason === "checkout" ? "your plan will appear here in a moment." : "changes you made in the billing portal will appear here in a moment."}
      </Notice>
    );
  }
  if (phase === "slow") {
    return <Notice tone="info">Stripe hasn&apos;t confirmed your payment yet. This page will show your plan once it does; you can leave it.</Notice>;
  }
  if (phase === "updated" && reason === "checkout" && plan.paid) return <Notice tone="success">Thanks! You&apos;re on the {plan.name} plan.</Notice>;
  return <Notice tone="success">Your billing is up to date.</Notice>;
}

function Notice({ tone, children }: { tone: "success" | "info"; children: React.ReactNode }) {
  const styles = tone === "success" ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-sky-200 bg-sky-50 text-sky-900";
  return (
    <div role="status" aria-live="polite" data-testid="billing-sync-notice" className={`rounded-lg border px-4 py-3 ${styles}`}>
      {children}
    </div>
  );
}
