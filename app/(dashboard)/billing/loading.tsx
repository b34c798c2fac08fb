// Shown while /billing loads its plan, subscription and invoices. (Like every loading.tsx, it needs
// JavaScript to be replaced by the page: see the README's note on the billing page.)
export default function BillingLoading() {
  return (
    <div className="space-y-8" aria-busy="true">
      <h1 className="text-2xl font-semibold">Billing</h1>
      <p role="status" className="sr-only">Loading your billing…</p>
      <div className="h-36 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="grid gap-4 sm:grid-cols-3">
        {[0, 1, 2].map((card) => (
          <div key={card} className="h-56 animate-pulse rounded-lg border border-slate-200 bg-white" />
        ))}
      </div>
      <div className="h-24 animate-pulse rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
