"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition, type FormEvent } from "react";
import { LedgerEntryType } from "@/lib/generated/prisma/enums";
import { ENTRY_LABELS } from "@/lib/ledger/labels";
import { Field, FieldError, controlProps } from "@/components/form";
import type { WalletEntryFilterErrors, WalletEntryFilterField, WalletEntryFilterValues } from "@/lib/validations/wallet-entries";

const INPUT = "rounded border border-slate-300 bg-white px-2 py-1.5 aria-[invalid=true]:border-red-500";
const ERROR = "max-w-56 text-xs text-red-700";
const UTC_HINT_ID = "entries-dates-hint";
// The schema's fields (lib/validations/wallet-entries.ts), named here so zod stays out of the browser bundle.
const FIELDS = ["type", "from", "to"] as const satisfies readonly WalletEntryFilterField[];

/**
 * The entry list's filter: a GET form to /wallet, so a filtered entry list is a URL one can bookmark or
 * share (and the form still submits natively before hydration). The server validates it
 * (lib/validations/wallet-entries.ts) and sends back what was typed and each field's problem. The
 * submit navigates in place (no full reload, the scroll position kept) inside a transition, so the
 * button says it is working, and takes no second press, until the filtered page has arrived.
 */
export function WalletEntryFilters({ values, errors }: { values: WalletEntryFilterValues; errors: WalletEntryFilterErrors }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = new FormData(event.currentTarget);
    const search = new URLSearchParams();
    for (const name of FIELDS) {
      const value = form.get(name);
      if (typeof value === "string" && value.trim()) search.set(name, value.trim());
    }
    const query = search.toString();
    startTransition(() => router.push(`/wallet${query ? `?${query}` : ""}`, { scroll: false }));
  }

  const filtered = FIELDS.some((name) => values[name]);

  return (
    <form method="get" action="/wallet#entries-heading" onSubmit={submit} aria-label="Filter entries" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="entries-type" className="text-slate-600">
            Type
          </label>
          <select
            {...controlProps({ id: "entries-type", name: "type", error: errors.type, defaultValue: values.type && values.type in ENTRY_LABELS ? values.type : "" })}
            className={INPUT}
          >
            <option value="">All types</option>
            {Object.values(LedgerEntryType).map((type) => (
              <option key={type} value={type}>
                {ENTRY_LABELS[type]}
              </option>
            ))}
          </select>
          <FieldError id="entries-type" name="type" error={errors.type} className={ERROR} />
        </div>
        {(["from", "to"] as const).map((name) => (
          <Field
            key={name}
            id={`entries-${name}`}
            name={name}
            type="date"
            label={name === "from" ? "From" : "To"}
            error={errors[name]}
            defaultValue={values[name] ?? ""}
            describedBy={UTC_HINT_ID}
            className="flex flex-col gap-1"
            labelClassName="text-slate-600"
            inputClassName={INPUT}
            errorClassName={ERROR}
          />
        ))}
        <div className="flex items-center gap-3 self-end">
          <button
            type="submit"
            disabled={pending}
            aria-busy={pending || undefined}
            className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:cursor-wait disabled:opacity-60"
          >
            {pending ? "Filtering…" : "Filter"}
          </button>
          {filtered && (
            <Link href="/wallet#entries-heading" scroll={false} className="text-slate-700 underline">
              Clear filters
            </Link>
          )}
        </div>
      </div>
      <p id={UTC_HINT_ID} className="text-xs text-slate-600">
        Dates are in UTC, and both the From and To days are included.
      </p>
    </form>
  );
}
