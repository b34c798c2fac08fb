"use client";

import { useActionState } from "react";
import { FormError } from "@/components/form";
import { openPortal } from "@/lib/actions/billing";
import type { ActionState } from "@/lib/accounts";

const STYLES = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-700",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
  warning: "bg-amber-600 text-white hover:bg-amber-700",
} as const;

/** A button that opens the Stripe Customer Portal (lib/actions/billing.ts openPortal). */
export function PortalButton({
  children,
  label,
  variant = "secondary",
  wide = false,
}: {
  children: React.ReactNode;
  /** The accessible name when the visible text alone is ambiguous ("Change plan" on each plan card). */
  label?: string;
  variant?: keyof typeof STYLES;
  /** Fill the width (as the upgrade buttons do on the plan cards). */
  wide?: boolean;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(openPortal, {});
  return (
    <form action={action} className="space-y-2">
      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        aria-label={pending ? undefined : label}
        className={`rounded px-4 py-2 font-medium disabled:cursor-wait disabled:opacity-60 ${wide ? "w-full" : ""} ${STYLES[variant]}`}
      >
        {pending ? "Opening the billing portal…" : children}
      </button>
      <FormError>{state.error}</FormError>
    </form>
  );
}
