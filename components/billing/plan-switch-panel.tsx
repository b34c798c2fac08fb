"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef } from "react";
import { FormError } from "@/components/form";
import { confirmPlanSwitch } from "@/lib/actions/billing";
import type { ActionState } from "@/lib/accounts";
import { PortalButton } from "./portal-button";

// The confirmation of a plan switch on /billing (opened by "Change plan to X", ?switch=<plan>): what
// Stripe will charge today and after, from its preview, with Confirm, Cancel and the portal as the other
// way. It renders what the page gives it; the amounts are never sent back, only what names the switch.

export type PlanSwitchPanelProps =
  | {
      kind: "preview";
      planKey: string;
      planName: string;
      /** Formatted by the page: "£23.03". */
      dueToday: string;
      /** "£23.03" of unused time that becomes account credit; null when none. */
      credit: string | null;
      thenMonthly: string;
      /** "1 Feb 2027"; null when Stripe gave no date. */
      thenFrom: string | null;
      prorationDate: number | null;
      switchId: string;
    }
  | { kind: "portal" | "error"; planName: string; message: string };

export function PlanSwitchPanel(props: PlanSwitchPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The panel opens in place of a click: move focus to it, so a keyboard or screen-reader user lands on it.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="plan-switch-heading" data-testid="plan-switch" className="space-y-4 rounded-lg border border-indigo-300 bg-white p-6 shadow-sm">
      <h2 id="plan-switch-heading" ref={heading} tabIndex={-1} className="text-xl font-semibold focus:outline-none">
        Change to the {props.planName} plan
      </h2>
      {props.kind === "preview" ? <Preview {...props} /> : <Refusal {...props} />}
    </section>
  );
}

function Preview(props: Extract<PlanSwitchPanelProps, { kind: "preview" }>) {
  const [state, confirm, pending] = useActionState<ActionState, FormData>(confirmPlanSwitch, {});
  return (
    <>
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-600">Due today</dt>
        <dd data-testid="plan-switch-due-today" className="font-semibold tabular-nums">
          {props.dueToday}
          {/* Without a proration date nothing was prorated (a trial): nothing is due today. */}
          {props.prorationDate !== null && <span className="font-normal text-slate-600"> (prorated)</span>}
        </dd>
        <dt className="text-slate-600">Then</dt>
        <dd data-testid="plan-switch-then" className="tabular-nums">
          {props.thenMonthly}/month{props.thenFrom && ` from ${props.thenFrom}`}
        </dd>
      </dl>
      {props.credit && (
        <p className="text-sm text-slate-600">
          The unused time on your current plan is worth more than the rest of this month on {props.planName}: {props.credit} goes to your account credit and
          pays towards your next invoices.
        </p>
      )}
      <p className="text-sm text-slate-600">Stripe charges your card on file when you confirm.</p>
      <div className="flex flex-wrap items-center gap-3">
        <form action={confirm}>
          <input type="hidden" name="planKey" value={props.planKey} />
          <input type="hidden" name="prorationDate" value={props.prorationDate ?? ""} />
          <input type="hidden" name="switchId" value={props.switchId} />
          <button
            type="submit"
            disabled={pending}
            aria-busy={pending}
            className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:cursor-wait disabled:opacity-60"
          >
            {pending ? "Changing your plan…" : `Confirm: change to ${props.planName}`}
          </button>
        </form>
        <CancelLink />
      </div>
      <FormError>{state.error}</FormError>
      <PortalAlternative />
    </>
  );
}

function Refusal({ kind, message }: Extract<PlanSwitchPanelProps, { kind: "portal" | "error" }>) {
  return (
    <>
      <p role={kind === "error" ? "alert" : undefined} className="text-slate-800">
        {message}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        {kind === "portal" && <PortalButton variant="primary">Open the billing portal</PortalButton>}
        <CancelLink />
      </div>
    </>
  );
}

function CancelLink() {
  return (
    <Link href="/billing" className="rounded border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-50">
      Cancel
    </Link>
  );
}

function PortalAlternative() {
  return (
    <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 pt-3 text-sm text-slate-600">
      <span>Prefer Stripe&apos;s page?</span>
      <PortalButton>Change it in the billing portal instead</PortalButton>
    </div>
  );
}
