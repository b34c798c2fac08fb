// Shown while /admin/entries runs its page query (the totals stream in separately, after the table).
export default function AdminEntriesLoading() {
  return (
    <div className="space-y-4" aria-busy="true">
      <h1 className="text-2xl font-semibold">Entries</h1>
      <p role="status" className="sr-only">Loading entries…</p>
      <div className="h-28 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="h-96 animate-pulse rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
