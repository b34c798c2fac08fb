// In a route group of its own so that this loading state (a Suspense boundary) covers the list only:
// under it, the payload viewer would start streaming before notFound() and answer 200, not 404.
// Shown while /admin/webhooks loads its stats and event page.
export default function AdminWebhooksLoading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <h1 className="text-2xl font-semibold">Webhooks</h1>
      <p role="status" className="sr-only">Loading webhook events…</p>
      <div className="h-28 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="h-12 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="h-96 animate-pulse rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
