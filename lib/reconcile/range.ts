import { z } from "zod";
import type { ReconcileRange } from "./reconcile";

// The range a person or cron asks for. The page's form and its backfill button send minutes in UTC
// ("2026-11-24T14:05", as <input type="datetime-local"> gives them); the script also takes full ISO
// timestamps. One schema for all three, so a range means the same everywhere.

const DAY_MS = 24 * 60 * 60_000;
/** Reconciliation lists every Stripe object in the range: a bound keeps one run to a few thousand calls' worth. */
export const MAX_RANGE_DAYS = 92;

const instant = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/, "Use a date and time like 2026-11-24T14:05 (UTC).")
  // Without a zone the value is UTC, as every date in the admin pages is shown.
  .transform((value) => new Date(/Z|[+-]\d{2}:\d{2}$/.test(value) ? value : value.length === 10 ? `${value}T00:00Z` : `${value}Z`))
  .refine((date) => !Number.isNaN(date.getTime()), "That is not a real date.");

// zod still runs object checks after a field's own check failed, with that field's raw string.
const realDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());
const bothReal = (range: { from: unknown; to: unknown }) => realDate(range.from) && realDate(range.to);

// The range checks only speak once both ends are real dates; otherwise the field's own message is enough.
export const reconcileRangeSchema = z
  .object({ from: instant, to: instant })
  .refine((range) => !bothReal(range) || range.from < range.to, { message: "The start must be before the end.", path: ["to"] })
  .refine((range) => !bothReal(range) || range.to.getTime() - range.from.getTime() <= MAX_RANGE_DAYS * DAY_MS, {
    message: `Choose at most ${MAX_RANGE_DAYS} days at a time.`,
    path: ["to"],
  });

/** The last `days` days up to now, to the minute. */
export function lastDays(days: number, now = new Date()): ReconcileRange {
  const to = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  return { from: new Date(to.getTime() - days * DAY_MS), to };
}

/** A Date as the form's datetime-local value, in UTC. */
export function toFormValue(date: Date): string {
  return date.toISOString().slice(0, 16);
}
