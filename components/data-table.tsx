import type { ReactNode } from "react";

export interface Column {
  label: string;
  numeric?: boolean;
}

/**
 * The bordered, horizontally scrollable table every list in the app uses; rows come as children. On a
 * narrow screen the box scrolls sideways, so it is a named region that takes keyboard focus: arrow
 * keys then reach the columns off screen. The box is `relative` so that absolutely positioned content
 * in a cell (tailwind's `sr-only` text, e.g. "(opens Stripe)") is placed, and clipped, inside it:
 * without a positioned ancestor such a span is laid out against the page, is not clipped by the
 * box's overflow, and widens the whole page on a phone (issue 23).
 */
export function DataTable({ label, columns, children }: { label: string; columns: Column[]; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
      <table className="min-w-full text-sm" aria-label={label}>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`px-3 py-2 ${column.numeric ? "text-right" : ""}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">{children}</tbody>
      </table>
    </div>
  );
}

/** The placeholder a list shows before it has anything in it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
      <p className="font-medium">{title}</p>
      {children && <p className="text-sm">{children}</p>}
    </div>
  );
}
