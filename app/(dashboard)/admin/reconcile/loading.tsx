// Shown while /admin/reconcile lists Stripe's payments, refunds and disputes for the range and compares them.
export default function ReconcileLoading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <h1 className="text-2xl font-semibold">Reconcile</h1>
      <p role="status" className="text-sm text-slate-600">Comparing Stripe with the ledger…</p>
      <div className="h-12 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="h-48 animate-pulse rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
