import { z } from "zod";
import { LedgerEntryType } from "../generated/prisma/enums";
import type { WalletEntryFilter } from "../ledger";

// The wallet entry list's filter, as /wallet's GET form sends it and GET /api/wallet/statement and
// GET /api/wallet/entries read it: `type` (a LedgerEntryType), `from` and `to` (whole days, both
// included, in UTC). One schema, so the table and the CSV select exactly the same entries.

export const WALLET_ENTRY_FILTER_FIELDS = ["type", "from", "to"] as const;
export type WalletEntryFilterField = (typeof WALLET_ENTRY_FILTER_FIELDS)[number];
/** What was typed (or is in the URL), kept as text so the form can show it again after an error. */
export type WalletEntryFilterValues = Partial<Record<WalletEntryFilterField, string>>;
export type WalletEntryFilterErrors = Partial<Record<WalletEntryFilterField, string>>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** An empty field means "no filter", not "match the empty string". */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());
}

/** A calendar day, 2026-11-24, as the UTC midnight it starts at. */
const day = z
  .string()
  .trim()
  .pipe(z.iso.date({ message: "Use a date like 2026-11-24." }))
  .transform((text) => new Date(`${text}T00:00:00.000Z`));

const shape = {
  type: optional(z.enum(LedgerEntryType, { message: "Choose one of the listed types." })),
  from: optional(day),
  to: optional(day),
};

/** The filter from a query string: `to` becomes the next day's midnight (exclusive), so the whole day is included. */
export const walletEntryFilterSchema = z
  .object(shape)
  .superRefine((days, ctx) => {
    if (days.from && days.to && days.to < days.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end date must not be before the start date." });
    }
  })
  .transform(({ type, from, to }): WalletEntryFilter => {
    const filter: WalletEntryFilter = {};
    if (type) filter.type = type;
    if (from) filter.from = from;
    if (to) filter.to = new Date(to.getTime() + DAY_MS);
    return filter;
  });

export type ParsedWalletEntryFilter = { ok: true; filter: WalletEntryFilter } | { ok: false; errors: WalletEntryFilterErrors };

/** The page's form: the filter, or each field's first problem (never a throw: a bad URL is shown, not an error page). */
export function parseWalletEntryFilter(values: WalletEntryFilterValues): ParsedWalletEntryFilter {
  const parsed = walletEntryFilterSchema.safeParse(values);
  if (parsed.success) return { ok: true, filter: parsed.data };
  const errors: WalletEntryFilterErrors = {};
  for (const issue of parsed.error.issues) {
    const field = WALLET_ENTRY_FILTER_FIELDS.find((name) => name === issue.path[0]);
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
}

/** The fields that are set, as a query string for page links and the CSV link ("" when none is). */
export function walletEntryFilterQuery(values: WalletEntryFilterValues): string {
  const params = new URLSearchParams();
  for (const name of WALLET_ENTRY_FILTER_FIELDS) {
    const value = values[name]?.trim();
    if (value) params.set(name, value);
  }
  return params.toString();
}
