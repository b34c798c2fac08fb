"use client";

import { useSyncExternalStore } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { formatTimeTick, spansDays, timeTicks } from "@/lib/core/time-ticks";
import { formatDateTime } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

export interface PlotPoint {
  /** Epoch milliseconds of the entry. */
  atMs: number;
  /** The balance after it, in integer minor units: recharts plots and ticks these, and only formatMoney turns them into money. */
  balanceMinor: number;
}

// Recharts sizes and positions its wrapper, tooltip and text with inline styles. The production CSP
// allows styles only with the page's nonce, so a style attribute in server-rendered HTML would be
// blocked; set by React in the browser (through the CSSOM) it is not. So the plot renders only once
// mounted: the server and the hydration pass render a placeholder of the same height, then the
// browser swaps the chart in (useSyncExternalStore's server snapshot is false, its client one true).
const noSubscription = () => () => undefined;
const useMounted = () => useSyncExternalStore(noSubscription, () => true, () => false);

const SLATE_200 = "#e2e8f0";
const SLATE_400 = "#94a3b8";
const SLATE_500 = "#64748b";
const INDIGO_600 = "#4f46e5";

function isPlotPoint(value: unknown): value is PlotPoint {
  return typeof value === "object" && value !== null && "atMs" in value && "balanceMinor" in value && typeof value.atMs === "number" && typeof value.balanceMinor === "number";
}

/**
 * The drawn chart: a step line (a balance holds until the next entry changes it) over a UTC time
 * axis with round ticks, a money axis in the wallet's currency, and a tooltip with the date and the
 * balance. Hidden from assistive technology, which gets the summary and the table of points in the
 * figure around it (components/wallet/balance-chart.tsx); nothing in it takes focus.
 */
export function BalanceChartPlot({ points, currency }: { points: PlotPoint[]; currency: string }) {
  const mounted = useMounted();
  const first = points[0];
  const last = points.at(-1);
  if (!mounted || !first || !last) return <div data-testid="balance-chart-placeholder" className="h-56 animate-pulse rounded bg-slate-100" />;

  const { ticks, unit } = timeTicks(first.atMs, last.atMs);
  const acrossDays = spansDays(first.atMs, last.atMs);
  const tooltip = ({ active, payload }: TooltipContentProps) => {
    const point = payload[0]?.payload;
    if (!active || !isPlotPoint(point)) return null;
    return (
      <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow-sm">
        <p className="text-slate-600">{formatDateTime(new Date(point.atMs), { seconds: true })} UTC</p>
        <p className="font-semibold tabular-nums">{formatMoney(point.balanceMinor, currency)}</p>
      </div>
    );
  };

  return (
    <div aria-hidden="true" data-testid="balance-chart-plot" className="h-56 w-full text-xs">
      <LineChart data={points} responsive accessibilityLayer={false} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid stroke={SLATE_200} vertical={false} />
        <XAxis
          dataKey="atMs"
          type="number"
          scale="time"
          domain={[first.atMs, last.atMs]}
          ticks={ticks}
          tickFormatter={(tick: number) => formatTimeTick(tick, unit, acrossDays)}
          stroke={SLATE_500}
        />
        <YAxis
          width="auto"
          allowDecimals={false}
          domain={[(low: number) => Math.min(0, low), "auto"]}
          tickFormatter={(tick: number) => formatMoney(tick, currency)}
          stroke={SLATE_500}
        />
        <ReferenceLine y={0} stroke={SLATE_400} strokeDasharray="4 4" />
        <Tooltip content={tooltip} />
        <Line type="stepAfter" dataKey="balanceMinor" stroke={INDIGO_600} strokeWidth={2} dot={points.length <= 40} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
