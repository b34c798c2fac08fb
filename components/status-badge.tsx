import type { ReactNode } from "react";

// One look for every status pill (purchases, webhook events, subscriptions): callers say what a
// status means (its tone), never which colours it gets.
export type StatusTone = "success" | "neutral" | "info" | "warning" | "danger";

const TONE_STYLES: Record<StatusTone, string> = {
  success: "bg-emerald-100 text-emerald-800",
  neutral: "bg-slate-100 text-slate-700",
  info: "bg-sky-100 text-sky-800",
  warning: "bg-amber-100 text-amber-800",
  danger: "bg-red-100 text-red-800",
};

export function StatusBadge({ tone, children }: { tone: StatusTone; children: ReactNode }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${TONE_STYLES[tone]}`}>{children}</span>;
}
