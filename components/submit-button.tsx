"use client";

import type { ButtonHTMLAttributes, ReactNode } from "react";
import { useFormStatus } from "react-dom";

// Every form's submit button: while its form's action runs it says so (`pendingLabel`), is marked
// busy, and is disabled, so a second click cannot submit the form again. `disabled` adds other
// reasons to refuse a click (a sibling form on the same state is already submitting, say).

const VARIANTS = {
  primary: "w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700",
  quiet: "rounded border border-slate-400 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50",
} as const;

export function SubmitButton({
  children,
  pendingLabel,
  pending: pendingOverride,
  disabled,
  label,
  variant = "primary",
  className,
  ...button
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "aria-label"> & {
  children: ReactNode;
  pendingLabel: string;
  /** For a form that tracks its own pending state (one posted by an event handler rather than an action). */
  pending?: boolean;
  /** The accessible name when the visible text alone is ambiguous; dropped while pending, so the pending text is what is read. */
  label?: string;
  variant?: keyof typeof VARIANTS;
}) {
  const status = useFormStatus();
  const pending = pendingOverride ?? status.pending;
  return (
    <button
      {...button}
      type="submit"
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      aria-label={pending ? undefined : label}
      className={`${className ?? VARIANTS[variant]} disabled:cursor-not-allowed disabled:opacity-60 aria-busy:cursor-wait`}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
