// Shown while an admin users page (the list or one user) loads.
export default function AdminUsersLoading() {
  return (
    <div className="space-y-4" aria-busy="true">
      <p role="status" className="sr-only">Loading users…</p>
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-64 animate-pulse rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
