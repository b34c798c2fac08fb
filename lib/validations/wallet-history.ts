import { z } from "zod";
import { LedgerEntryType } from "../generated/prisma/enums";
import type { WalletHistoryFilter } from "../ledger";

// The wallet history's filter, as /wallet's GET form sends it and GET /api/wallet/statement and
// GET /api/wallet/entries read it: `type` (a LedgerEntryType), `from` and `to` (whole days, both
// included, in UTC). One schema, so the table and the CSV select exactly the same entries.

export const WALLET_HISTORY_FIELDS = ["type", "from", "to"] as const;
export type WalletHistoryField = (typeof WALLET_HISTORY_FIELDS)[number];
/** What was typed (or is in the URL), kept as text so the form can show it again after an error. */
export type WalletHistoryValues = Partial<Record<WalletHistoryField, string>>;
export type WalletHistoryErrors = Partial<Record<WalletHistoryField, string>>;

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
export const walletHistoryFilterSchema = z
  .object(shape)
  .superRefine((days, ctx) => {
    if (days.from && days.to && days.to < days.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end date must not be before the start date." });
    }
  })
  .transform(({ type, from, to }): WalletHistoryFilter => {
    const filter: WalletHistoryFilter = {};
    if (type) filter.type = type;
    if (from) filter.from = from;
    if (to) filter.to = new Date(to.getTime() + DAY_MS);
    return filter;
  });

export type ParsedWalletHistory = { ok: true; filter: WalletHistoryFilter } | { ok: false; errors: WalletHistoryErrors };

/** The page's form: the filter, or each field's first problem (never a throw: a bad URL is shown, not an error page). */
export function parseWalletHistory(values: WalletHistoryValues): ParsedWalletHistory {
  const parsed = walletHistoryFilterSchema.safeParse(values);
  if (parsed.success) return { ok: true, filter: parsed.data };
  const errors: WalletHistoryErrors = {};
  for (const issue of parsed.error.issues) {
    const field = WALLET_HISTORY_FIELDS.find((name) => name === issue.path[0]);
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
}

/** The fields that are set, as a query string for page links and the CSV link ("" when none is). */
export function walletHistoryQuery(values: WalletHistoryValues): string {
  const params = new URLSearchParams();
  for (const name of WALLET_HISTORY_FIELDS) {
    const value = values[name]?.trim();
    if (value) params.set(name, value);
  }
  return params.toString();
}
