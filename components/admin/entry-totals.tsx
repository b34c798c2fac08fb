import type { AdminEntryFilter } from "@/lib/admin";
import { getAdminEntryTotals } from "@/lib/admin";
import { countOf } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

/**
 * Totals of everything the filter selects, per currency. An async server component: the page renders
 * it inside <Suspense> after the table, so the aggregate (which reads every matching entry) streams in
 * later and never holds the table up.
 */
export async function AdminEntryTotalsPanel({ filter }: { filter: AdminEntryFilter }) {
  const totals = await getAdminEntryTotals(filter);
  return (
    <section aria-labelledby="totals-heading" className="rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="entry-totals">
      <h2 id="totals-heading" className="mb-2 font-semibold">
        Totals for these filters
      </h2>
      {totals.length === 0 ? (
        <p className="text-slate-600">Nothing to total.</p>
      ) : (
        <dl className="space-y-1">
          {totals.map((total) => (
            <div key={total.currency} className="flex flex-wrap gap-x-6 gap-y-1">
              <dt className="w-12 font-medium">{total.currency}</dt>
              <dd>
                {countOf(total.count, "entry", "entries")}
              </dd>
              <dd className="text-emerald-700">in {formatMoney(total.creditsMinor, total.currency)}</dd>
              <dd className="text-red-700">out {formatMoney(total.debitsMinor, total.currency)}</dd>
              <dd className="font-medium">net {formatMoney(total.netMinor, total.currency)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export function AdminEntryTotalsPlaceholder() {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm" aria-busy="true">
      <h2 className="mb-2 font-semibold">Totals for these filters</h2>
      <p role="status" className="text-slate-500">
        Adding up…
      </p>
    </section>
  );
}
