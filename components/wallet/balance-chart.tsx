import { BalanceChartPlot } from "@/components/wallet/balance-chart-plot";
import { formatDateTime } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

export interface BalancePoint {
  at: Date;
  balanceMinor: number;
}

/** The sentence under the caption: what the chart shows, in words, for everyone. */
function summary(points: BalancePoint[], currency: string): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return "No balance changes yet. Your balance is drawn here once money comes in or goes out.";
  if (points.length === 1) return `One change so far: your balance became ${formatMoney(first.balanceMinor, currency)} on ${formatDateTime(first.at)} (UTC).`;
  const values = points.map((point) => point.balanceMinor);
  // Changes within the hour are told apart by their seconds.
  const seconds = last.at.getTime() - first.at.getTime() < 60 * 60 * 1000;
  return (
    `Your last ${points.length} balance changes, from ${formatDateTime(first.at, { seconds })} to ${formatDateTime(last.at, { seconds })} (UTC): ` +
    `${formatMoney(first.balanceMinor, currency)} after the first and ${formatMoney(last.balanceMinor, currency)} now; ` +
    `lowest ${formatMoney(Math.min(...values), currency)}, highest ${formatMoney(Math.max(...values), currency)}.`
  );
}

/**
 * The balance after each of the wallet's latest entries, oldest first: a caption and a summary in
 * words, the chart drawn in the browser (recharts, ./balance-chart-plot.tsx, hidden from assistive
 * technology), and the points as a table behind "Show the figures". With fewer than two points there
 * is no line to draw: the summary says what there is.
 */
export function BalanceChart({ points, currency }: { points: BalancePoint[]; currency: string }) {
  return (
    <figure aria-labelledby="balance-chart-caption" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="space-y-1">
        <span id="balance-chart-caption" className="block text-sm font-medium text-slate-600">
          Balance over time
        </span>
        <span data-testid="balance-chart-summary" className="block text-sm text-slate-700">
          {summary(points, currency)}
        </span>
      </figcaption>
      {points.length >= 2 && <BalanceChartPlot points={points.map((point) => ({ atMs: point.at.getTime(), balanceMinor: point.balanceMinor }))} currency={currency} />}
      {points.length >= 1 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-indigo-700 underline">Show the figures</summary>
          <table className="mt-2 text-left text-sm">
            <caption className="sr-only">Balance after each change, oldest first</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="pr-6 font-medium">When (UTC)</th>
                <th scope="col" className="text-right font-medium">Balance</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point, index) => (
                <tr key={index}>
                  <td className="pr-6">
                    <time dateTime={point.at.toISOString()}>{formatDateTime(point.at, { seconds: true })}</time>
                  </td>
                  <td className="text-right tabular-nums">{formatMoney(point.balanceMinor, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
