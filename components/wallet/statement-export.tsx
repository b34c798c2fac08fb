import Link from "next/link";

/** The statement download on /wallet; on a plan without it, where to get it (the route checks again: GET /api/wallet/statement). */
export function StatementExport({ available, planNames }: { available: boolean; planNames: string[] }) {
  if (available) {
    return (
      <a href="/api/wallet/statement" download className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
        Download statement (CSV)
      </a>
    );
  }
  return (
    <p data-testid="statement-upsell" className="text-sm text-slate-600">
      Statement export is on {planNames.join(" and ") || "paid plans"}.{" "}
      <Link href="/billing" className="font-medium text-indigo-700 underline">See plans</Link>
    </p>
  );
}
