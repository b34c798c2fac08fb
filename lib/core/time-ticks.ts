// Ticks for a time axis (the wallet's balance chart): a handful of round instants inside
// [start, end] (whole minutes, hours, days or months, in UTC like every date Billfold shows) and how
// to label them. Chart libraries space numeric ticks evenly, which puts them at arbitrary instants
// ("24 Nov 13:47"); these fall where people expect a gridline. Safe in client code.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Round steps, about doubling each time, so a span always gets several ticks, never just one.
const FIXED_STEPS = [
  ...[1, 2, 5, 10, 15, 30].map((n) => n * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * MINUTE),
  ...[1, 2, 3, 6, 12].map((n) => n * HOUR),
  ...[1, 2, 7, 14].map((n) => n * DAY),
];
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120];

export type TimeTickUnit = "second" | "minute" | "day" | "month";

export interface TimeTicks {
  ticks: number[];
  unit: TimeTickUnit;
}

/** At most `maxTicks` round instants (epoch ms) within [startMs, endMs], and the unit they step by. */
export function timeTicks(startMs: number, endMs: number, maxTicks = 6): TimeTicks {
  const span = endMs - startMs;
  if (span <= 0) return { ticks: [startMs], unit: "second" };
  const step = FIXED_STEPS.find((candidate) => span / candidate < maxTicks);
  if (step !== undefined) {
    const ticks: number[] = [];
    for (let tick = Math.ceil(startMs / step) * step; tick <= endMs; tick += step) ticks.push(tick);
    // A span shorter than a second may hold no whole second: its start will do.
    return { ticks: ticks.length > 0 ? ticks : [startMs], unit: step < MINUTE ? "second" : step < DAY ? "minute" : "day" };
  }
  const start = new Date(startMs);
  const months = (new Date(endMs).getUTCFullYear() - start.getUTCFullYear()) * 12 + new Date(endMs).getUTCMonth() - start.getUTCMonth();
  const monthStep = MONTH_STEPS.find((candidate) => months / candidate < maxTicks) ?? Math.ceil(months / (maxTicks - 1));
  const ticks: number[] = [];
  // Month starts whose month number (counted from year 0) is a multiple of the step: January, April… for 3.
  let index = Math.ceil((start.getUTCFullYear() * 12 + start.getUTCMonth()) / monthStep) * monthStep;
  for (;;) {
    const tick = Date.UTC(Math.floor(index / 12), index % 12, 1);
    if (tick > endMs) break;
    if (tick >= startMs) ticks.push(tick);
    index += monthStep;
  }
  return { ticks: ticks.length > 0 ? ticks : [startMs, endMs], unit: "month" };
}

const TIME_SECONDS = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const DAY_TIME = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const DAY_MONTH = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const MONTH_YEAR = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/** A tick's label: "14:05:30", "14:05" within one day ("24 Nov, 14:05" across days), "24 Nov", or "Nov 2026". */
export function formatTimeTick(tickMs: number, unit: TimeTickUnit, spansDays: boolean): string {
  if (unit === "month") return MONTH_YEAR.format(tickMs);
  if (unit === "day") return DAY_MONTH.format(tickMs);
  if (unit === "second") return TIME_SECONDS.format(tickMs);
  return (spansDays ? DAY_TIME : TIME).format(tickMs);
}

/** True when the two instants fall on different UTC days. */
export function spansDays(startMs: number, endMs: number): boolean {
  return Math.floor(startMs / DAY) !== Math.floor(endMs / DAY);
}
