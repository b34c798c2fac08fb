import { formatMoney } from "@/lib/money";

export interface BalancePoint {
  at: Date;
  balanceMinor: number;
}

const WIDTH = 600;
const HEIGHT = 140;
const PAD = 8;

/** Balance after each entry, oldest first, as a small accessible SVG line chart. */
export function BalanceChart({ points, currency }: { points: BalancePoint[]; currency: string }) {
  if (points.length < 2) return null;
  const values = points.map((p) => p.balanceMinor);
  const min = Math.min(0, ...values);
  const max = Math.max(0, ...values);
  const span = max - min || 1;
  const x = (i: number) => PAD + (i * (WIDTH - 2 * PAD)) / (points.length - 1);
  const y = (v: number) => HEIGHT - PAD - ((v - min) * (HEIGHT - 2 * PAD)) / span;
  const first = points[0];
  const last = points.at(-1);
  const label = `Balance over the last ${points.length} changes, from ${formatMoney(first?.balanceMinor ?? 0, currency)} to ${formatMoney(last?.balanceMinor ?? 0, currency)}`;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium text-slate-600">Balance over time</figcaption>
      {/* Stretched to the card's width; strokes keep their thickness however wide that is. */}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label} className="h-36 w-full">
        <title>{label}</title>
        <line x1={PAD} x2={WIDTH - PAD} y1={y(0)} y2={y(0)} className="stroke-slate-300" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" />
        <polyline
          fill="none"
          className="stroke-indigo-600"
          strokeWidth={2.5}
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
          points={points.map((p, i) => `${x(i).toFixed(1)},${y(p.balanceMinor).toFixed(1)}`).join(" ")}
        />
      </svg>
    </figure>
  );
}
