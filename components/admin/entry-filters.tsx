import Link from "next/link";
import type { InputHTMLAttributes } from "react";
import { controlProps, Field, FieldError, FormError } from "@/components/form";
import { ENTRY_LABELS } from "@/lib/ledger/labels";
import type { AdminEntryFormValues } from "@/lib/admin";
import { LedgerEntryType } from "@/lib/generated/prisma/enums";

type FieldName = keyof AdminEntryFormValues;

const INPUT = "rounded border border-slate-500 bg-white px-2 py-1.5 aria-[invalid=true]:border-red-600";
const ERROR = "max-w-56 text-xs text-red-700";

/**
 * The entries page's filter form: a plain GET form, so a filtered view is a URL an admin can share
 * and the page works without JavaScript. It shows what was typed (kept after an error) and each field's
 * problem next to it.
 */
export function AdminEntryFilters({ values, errors, currencySymbol }: { values: AdminEntryFormValues; errors: Partial<Record<FieldName, string>>; currencySymbol: string }) {
  const field = (name: FieldName, label: string, { className, ...input }: Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "defaultValue">) => (
    <Field
      {...input}
      label={label}
      name={name}
      id={`filter-${name}`}
      error={errors[name]}
      defaultValue={values[name] ?? ""}
      className="flex flex-col gap-1"
      labelClassName="text-slate-700"
      inputClassName={`${INPUT} ${className ?? ""}`}
      errorClassName={ERROR}
    />
  );
  const type = controlProps({ id: "filter-type", name: "type", error: errors.type, defaultValue: values.type ?? "" });
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <form method="get" action="/admin/entries" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm" aria-label="Filter entries">
      {hasErrors && <FormError>Some filters could not be read; fix them to see entries.</FormError>}
      <div className="flex flex-wrap items-start gap-3">
        {field("email", "User email", { type: "text", inputMode: "email", autoComplete: "off", placeholder: "name@example.com", className: "w-64" })}
        <div className="flex flex-col gap-1">
          <label htmlFor={type.id} className="text-slate-700">Type</label>
          <select {...type} className={INPUT}>
            <option value="">All types</option>
            {Object.values(LedgerEntryType).map((entryType) => (
              <option key={entryType} value={entryType}>
                {ENTRY_LABELS[entryType]}
              </option>
            ))}
          </select>
          <FieldError id={type.id} name="type" error={errors.type} className={ERROR} />
        </div>
        {field("from", "From (UTC)", { type: "date" })}
        {field("to", "To, inclusive (UTC)", { type: "date" })}
        {field("minAmount", `Min amount (${currencySymbol})`, { inputMode: "decimal", placeholder: "-5.00", className: "w-28" })}
        {field("maxAmount", `Max amount (${currencySymbol})`, { inputMode: "decimal", placeholder: "12.50", className: "w-28" })}
        {field("reference", "Stripe reference", { placeholder: "cs_… / ch_… / re_…", autoComplete: "off", className: "w-56" })}
      </div>
      <div className="flex items-center gap-4">
        <button type="submit" className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
          Filter
        </button>
        <Link href="/admin/entries" className="text-slate-700 underline">
          Clear filters
        </Link>
      </div>
    </form>
  );
}
