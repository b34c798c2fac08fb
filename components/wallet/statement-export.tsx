import Link from "next/link";

/**
 * The statement download on /wallet: the entry list's rows as filtered, as CSV (GET /api/wallet/statement,
 * with the same filter query). On a plan without it, where to get it (the route checks again).
 */
export function StatementExport({ available, planNames, filterQuery }: { available: boolean; planNames: string[]; filterQuery: string }) {
  if (available) {
    return (
      <div className="flex flex-col items-end gap-0.5">
        <a
          href={`/api/wallet/statement${filterQuery ? `?${filterQuery}` : ""}`}
          download
          aria-describedby="statement-export-hint"
          className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          Download CSV
        </a>
        <span id="statement-export-hint" className="text-xs text-slate-600">
          {filterQuery ? "The entries matching your filters" : "Every entry"}, newest first
        </span>
      </div>
    );
  }
  return (
    <p data-testid="statement-upsell" className="text-sm text-slate-600">
      Statement export is on {planNames.join(" and ") || "paid plans"}.{" "}
      <Link href="/billing" className="font-medium text-indigo-700 underline">See plans</Link>
    </p>
  );
}
