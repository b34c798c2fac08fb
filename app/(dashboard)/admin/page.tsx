import { requireAdmin } from "@/lib/auth/session";
import { getAdminOverview } from "@/lib/admin/queries";
import { listUsers } from "@/lib/users/queries";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdmin("/admin");
  const [overview, users] = await Promise.all([getAdminOverview(), listUsers({ take: 50 })]);
  const stats = [
    ["Users", overview.users],
    ["Wallets", overview.wallets],
    ["Ledger entries", overview.ledgerEntries],
    ["Webhook events", overview.webhookEvents],
    ["Failed webhook events", overview.failedWebhookEvents],
  ] as const;
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Admin</h1>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        {stats.map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
            <dt className="text-xs uppercase text-slate-500">{label}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="users-heading" className="space-y-3">
        <h2 id="users-heading" className="text-xl font-semibold">Users</h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr><th scope="col" className="px-4 py-2">Email</th><th scope="col" className="px-4 py-2">Name</th><th scope="col" className="px-4 py-2">Role</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {users.map((user) => (
                <tr key={user.id}><td className="px-4 py-2">{user.email}</td><td className="px-4 py-2">{user.name ?? "—"}</td><td className="px-4 py-2">{user.role}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
