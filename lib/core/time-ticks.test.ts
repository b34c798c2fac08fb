import { describe, expect, it } from "vitest";
import { formatTimeTick, spansDays, timeTicks } from "./time-ticks";

const labels = (start: string, end: string) => {
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  const { ticks, unit } = timeTicks(startMs, endMs);
  expect(ticks.every((tick) => tick >= startMs && tick <= endMs)).toBe(true);
  return ticks.map((tick) => formatTimeTick(tick, unit, spansDays(startMs, endMs)));
};

describe("time axis ticks", () => {
  it("falls on round UTC instants, at most six, labelled for the span", () => {
    expect(labels("2026-11-24T14:03:10Z", "2026-11-24T14:03:50Z")).toEqual(["14:03:10", "14:03:20", "14:03:30", "14:03:40", "14:03:50"]);
    // Never a lone tick: a span just over five seconds steps by two.
    expect(labels("2026-11-24T08:39:03.500Z", "2026-11-24T08:39:10Z")).toEqual(["08:39:04", "08:39:06", "08:39:08", "08:39:10"]);
    expect(labels("2026-11-24T14:03:10Z", "2026-11-24T18:09:50Z")).toEqual(["15:00", "16:00", "17:00", "18:00"]);
    expect(labels("2026-11-24T23:58:10Z", "2026-11-25T00:01:10Z")).toEqual(["24 Nov, 23:59", "25 Nov, 00:00", "25 Nov, 00:01"]);
    expect(labels("2026-11-01T14:03:10Z", "2026-11-24T18:09:50Z")).toEqual(["5 Nov", "12 Nov", "19 Nov"]);
    expect(labels("2026-08-01T14:03:10Z", "2026-11-24T18:09:50Z")).toEqual(["Sept 2026", "Oct 2026", "Nov 2026"]);
    expect(labels("2016-08-01T14:03:10Z", "2026-11-24T18:09:50Z")).toEqual(["Jan 2018", "Jan 2020", "Jan 2022", "Jan 2024", "Jan 2026"]);
  });

  it("gives the start of an empty span, or of one too short for a round tick", () => {
    const at = Date.parse("2026-11-24T14:03:10.250Z");
    expect(timeTicks(at, at).ticks).toEqual([at]);
    expect(timeTicks(at, at + 500).ticks).toEqual([at]);
  });
});
