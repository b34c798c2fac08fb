// Shown while /admin/transactions runs its page query (the totals stream in separately, after the table).
export default function TransactionsLoading() {
  return (
    <div className="space-y-4" aria-busy="true">
      <h1 className="text-2xl font-semibold">Transactions</h1>
      <p role="status" className="sr-only">Loading transactions…</p>
      <div className="h-28 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="h-96 animate-pulse rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
