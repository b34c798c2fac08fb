// Dates as people read them, formatted only at the edge and always in UTC so the server and the
// browser agree (money has its own formatter in lib/core/money.ts).
const DATE_TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const DATE_TIME_SECONDS = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** "24 Nov 2026, 14:05" (UTC); "—" when there is no date. Pass `seconds` where events are close together. */
export function formatDateTime(date: Date | null | undefined, { seconds = false } = {}): string {
  if (!date) return "—";
  return (seconds ? DATE_TIME_SECONDS : DATE_TIME).format(date);
}

/** "24 Nov 2026" (UTC). */
export function formatDate(date: Date): string {
  return DATE.format(date);
}

/** "1 refund", "3 refunds", "1 entry" (`countOf(n, "entry", "entries")`): a count with its noun agreeing. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? singular : plural}`;
}
