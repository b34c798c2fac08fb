import { z } from "zod";
import { LedgerEntryType } from "../generated/prisma/enums";
import { decimalStringToMinor, minorToDecimalString, typedAmountText } from "../core/money";
import { normalizeEmail } from "../accounts";
import { decodeCursor } from "./cursor";

// What the admin's entries page, its JSON API and its CSV export are asked for: the filter, from
// a query string (amounts in minor units) or from the page's form (amounts typed in major units).

export const ADMIN_ENTRY_PAGE_SIZE = 50;
export const MAX_ADMIN_ENTRY_PAGE_SIZE = 500;

export interface AdminEntryFilter {
  /** Normalized (lib/accounts/users.ts normalizeEmail); the entries of every user whose email contains it, in any case (lib/admin/email-match.ts). */
  email?: string;
  type?: LedgerEntryType;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  minAmountMinor?: number;
  maxAmountMinor?: number;
  /** The entry's Stripe object id, exactly. */
  reference?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** An empty form field means "no filter", not "match the empty string". */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());
}

/**
 * A bare date is a whole UTC day: as `from` it starts at its midnight, as `to` (exclusive) it ends at
 * the next one, so `to=2026-11-24` includes all of the 24th. A datetime without an offset is UTC, as
 * every date on the admin pages is.
 */
function dateBound(side: "from" | "to") {
  return z
    .string()
    .trim()
    .refine((text) => (DATE_ONLY.test(text) ? z.iso.date().safeParse(text).success : z.iso.datetime({ offset: true, local: true }).safeParse(text).success), {
      message: "Use a date (2026-11-24) or an ISO date and time (2026-11-24T14:05:00Z).",
    })
    .transform((text) => {
      if (DATE_ONLY.test(text)) {
        const midnight = new Date(`${text}T00:00:00.000Z`);
        return side === "to" ? new Date(midnight.getTime() + DAY_MS) : midnight;
      }
      return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
    });
}

const signedMinor = z
  .string()
  .trim()
  .regex(/^-?\d{1,15}$/, "Use a whole number of minor units, e.g. 1250 or -500.")
  .transform(Number)
  .refine(Number.isSafeInteger, "Too large.");

const filterShape = {
  email: optional(z.string().trim().max(320).transform(normalizeEmail)),
  type: optional(z.enum(LedgerEntryType, { message: `Use one of ${Object.values(LedgerEntryType).join(", ")}.` })),
  from: optional(dateBound("from")),
  to: optional(dateBound("to")),
  minAmountMinor: optional(signedMinor),
  maxAmountMinor: optional(signedMinor),
  reference: optional(z.string().trim().max(255)),
};

function checkRanges(filter: AdminEntryFilter, ctx: z.RefinementCtx) {
  if (filter.from && filter.to && filter.from >= filter.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the date range must come after its start." });
  }
  if (filter.minAmountMinor !== undefined && filter.maxAmountMinor !== undefined && filter.minAmountMinor > filter.maxAmountMinor) {
    ctx.addIssue({ code: "custom", path: ["maxAmountMinor"], message: "The maximum amount must not be below the minimum." });
  }
}

function dropUnset<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The filter of the JSON API and the export, from a query string (amounts in minor units). */
export const adminEntryFilterSchema = z.object(filterShape).superRefine(checkRanges).transform(dropUnset);

/** GET /api/admin/entries: the filter plus paging and the totals switch. */
export const adminEntryListQuerySchema = z
  .object({
    ...filterShape,
    cursor: optional(
      z
        .string()
        .max(512)
        .refine((raw) => decodeCursor(raw) !== null, "This cursor is not one a previous page returned."),
    ),
    limit: optional(z.coerce.number().int().min(1).max(MAX_ADMIN_ENTRY_PAGE_SIZE)).transform((limit) => limit ?? ADMIN_ENTRY_PAGE_SIZE),
    totals: optional(z.enum(["1", "true", "0", "false"])).transform((flag) => flag === "1" || flag === "true"),
  })
  .superRefine(checkRanges)
  .transform(({ cursor, limit, totals, ...filter }) => ({ filter: dropUnset<AdminEntryFilter>(filter), cursor, limit, totals }));

/** The query string of a parsed filter (API names, minor units), for the export link and next-page links. */
export function adminEntryFilterParams(filter: AdminEntryFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.email) params.set("email", filter.email);
  if (filter.type) params.set("type", filter.type);
  if (filter.from) params.set("from", filter.from.toISOString());
  if (filter.to) params.set("to", filter.to.toISOString());
  if (filter.minAmountMinor !== undefined) params.set("minAmountMinor", String(filter.minAmountMinor));
  if (filter.maxAmountMinor !== undefined) params.set("maxAmountMinor", String(filter.maxAmountMinor));
  if (filter.reference) params.set("reference", filter.reference);
  return params;
}

/** What the admin page's form sends: the API's fields, but amounts typed in major units ("12.50"). */
export const ADMIN_ENTRY_FORM_FIELDS = ["email", "type", "from", "to", "minAmount", "maxAmount", "reference"] as const;
export type AdminEntryFormValues = Partial<Record<(typeof ADMIN_ENTRY_FORM_FIELDS)[number], string>>;

export type ParsedAdminEntryForm = { ok: true; filter: AdminEntryFilter } | { ok: false; errors: Partial<Record<keyof AdminEntryFormValues, string>> };

/** The page's filter form: major-unit amounts go to minor units of `currency` exactly (lib/money), then the API's rules apply. */
export function parseAdminEntryForm(values: AdminEntryFormValues, currency: string): ParsedAdminEntryForm {
  const errors: Partial<Record<keyof AdminEntryFormValues, string>> = {};
  const toMinor = (field: "minAmount" | "maxAmount") => {
    const text = values[field]?.trim();
    if (!text) return undefined;
    const minor = decimalStringToMinor(typedAmountText(text, currency), currency);
    if (minor === null) errors[field] = `Type the amount in digits, like ${minorToDecimalString(2050, currency)} (or -5 for a debit).`;
    return minor === null ? undefined : String(minor);
  };
  const query = { ...values, minAmountMinor: toMinor("minAmount"), maxAmountMinor: toMinor("maxAmount") };
  const parsed = adminEntryFilterSchema.safeParse(query);
  if (!parsed.success) {
    const fieldNames: Record<string, keyof AdminEntryFormValues> = { minAmountMinor: "minAmount", maxAmountMinor: "maxAmount" };
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      const field = fieldNames[key] ?? ADMIN_ENTRY_FORM_FIELDS.find((name) => name === key);
      if (field && !errors[field]) errors[field] = issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, filter: parsed.data };
}
