// Shown while /wallet loads its balance, purchases, chart and entries: grey blocks in the page's own
// layout, so nothing jumps when it arrives, and one status line for screen readers. (Like every
// loading.tsx, it needs JavaScript to be replaced by the page: see the README's note on the billing page.)
const BLOCK = "animate-pulse rounded-lg border border-slate-200 bg-white";
const BAR = "animate-pulse rounded bg-slate-200";

export default function WalletLoading() {
  return (
    <div className="space-y-8" aria-busy="true">
      <p role="status" className="sr-only">Loading wallet…</p>
      <div aria-hidden="true" className="space-y-8">
        <div data-testid="wallet-skeleton-balance" className={`${BLOCK} space-y-3 p-6`}>
          <div className={`${BAR} h-4 w-32`} />
          <div className={`${BAR} h-10 w-40`} />
        </div>
        <div className={`${BLOCK} h-40`} />
        <div data-testid="wallet-skeleton-chart" className={`${BLOCK} space-y-3 p-4`}>
          <div className={`${BAR} h-4 w-36`} />
          <div className="h-56 animate-pulse rounded bg-slate-100" />
        </div>
        <div data-testid="wallet-skeleton-entries" className="space-y-3">
          <div className={`${BAR} h-6 w-24`} />
          <div className={`${BLOCK} h-24`} />
          {[0, 1, 2, 3, 4].map((row) => (
            <div key={row} className={`${BLOCK} h-12`} />
          ))}
        </div>
      </div>
    </div>
  );
}
