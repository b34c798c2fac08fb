import Link from "next/link";
import { Suspense } from "react";
import { AdminEntryFilters } from "@/components/admin/entry-filters";
import { AdminEntryTotalsPanel, AdminEntryTotalsPlaceholder } from "@/components/admin/entry-totals";
import { DataTable, EmptyState } from "@/components/data-table";
import { ENTRY_LABELS } from "@/lib/ledger/labels";
import {
  parseAdminEntryForm,
  ADMIN_ENTRY_FORM_FIELDS,
  ADMIN_ENTRY_PAGE_SIZE,
  adminEntryFilterParams,
  type AdminEntryFormValues,
  listAdminEntries,
} from "@/lib/admin";
import { env } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/format";
import { firstSearchValue } from "@/lib/core/forms";
import { requireAdmin } from "@/lib/accounts";
import { currencySymbol, formatMoney } from "@/lib/core/money";

export const metadata = { title: "Entries · Admin" };

const COLUMNS = [
  { label: "When (UTC)" },
  { label: "User" },
  { label: "Type" },
  { label: "Amount", numeric: true },
  { label: "Balance after", numeric: true },
  { label: "Stripe reference" },
  { label: "Description" },
];

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AdminEntriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin("/admin/entries");
  const params = await searchParams;
  const values: AdminEntryFormValues = Object.fromEntries(ADMIN_ENTRY_FORM_FIELDS.map((name) => [name, firstSearchValue(params[name])]).filter(([, value]) => value));
  const cursor = firstSearchValue(params.cursor);
  // Amounts are typed in the wallet currency's major units ("12.50") and read exactly into minor units.
  const currency = env().BILLFOLD_CURRENCY;
  const parsed = parseAdminEntryForm(values, currency);

  const heading = (
    <>
      <h1 className="text-2xl font-semibold">Entries</h1>
      <p className="text-sm text-slate-600">Every ledger entry across users, newest first. Times are UTC.</p>
    </>
  );
  if (!parsed.ok) {
    return (
      <div className="space-y-4">
        {heading}
        <AdminEntryFilters values={values} errors={parsed.errors} currencySymbol={currencySymbol(currency)} />
      </div>
    );
  }

  const filter = parsed.filter;
  const { entries, nextCursor } = await listAdminEntries(filter, { cursor, limit: ADMIN_ENTRY_PAGE_SIZE });
  const pageLink = (after?: string) => {
    const search = new URLSearchParams(values as Record<string, string>);
    if (after) search.set("cursor", after);
    const query = search.toString();
    return query ? `/admin/entries?${query}` : "/admin/entries";
  };
  const exportQuery = adminEntryFilterParams(filter).toString();
  const filtered = Object.keys(values).length > 0;

  return (
    <div className="space-y-4">
      {heading}
      <AdminEntryFilters values={values} errors={{}} currencySymbol={currencySymbol(currency)} />
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <nav aria-label="Entry pages" className="flex gap-4">
          {cursor && <Link href={pageLink()} className="text-slate-700 underline">First page</Link>}
          {nextCursor && <Link href={pageLink(nextCursor)} className="text-slate-700 underline">Next page</Link>}
        </nav>
        <a href={`/api/admin/entries/export${exportQuery ? `?${exportQuery}` : ""}`} className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50" download>
          Export CSV
        </a>
      </div>
      {entries.length === 0 ? (
        <EmptyState title={filtered ? "No entries match these filters" : "No entries yet"}>
          {filtered ? <Link href="/admin/entries" className="underline">Clear filters</Link> : "Top-ups, usage, refunds and adjustments appear here."}
        </EmptyState>
      ) : (
        <DataTable label="Entries" columns={COLUMNS}>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="entry-row">
              <td className="min-w-24 px-3 py-2 text-slate-600">{formatDateTime(entry.createdAt, { seconds: true })}</td>
              <td className="min-w-44 max-w-64 px-3 py-2 [overflow-wrap:anywhere]">
                <Link href={`/admin/users/${entry.userId}`} className="text-indigo-700 underline" data-testid="entry-email">
                  {entry.email}
                </Link>
              </td>
              <td className="whitespace-nowrap px-3 py-2">{ENTRY_LABELS[entry.type]}</td>
              <td className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${entry.amountMinor < 0 ? "text-red-700" : "text-emerald-700"}`}>
                {entry.amountMinor > 0 ? "+" : ""}
                {formatMoney(entry.amountMinor, entry.currency)}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatMoney(entry.balanceAfterMinor, entry.currency)}</td>
              <td className="min-w-44 max-w-56 break-all px-3 py-2 font-mono text-xs text-slate-600">{entry.stripeObjectId ?? "—"}</td>
              <td className="max-w-xs break-words px-3 py-2">{entry.description ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {entries.length > 0 && (
        <Suspense fallback={<AdminEntryTotalsPlaceholder />}>
          <AdminEntryTotalsPanel filter={filter} />
        </Suspense>
      )}
    </div>
  );
}
