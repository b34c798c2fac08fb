import Link from "next/link";
import { z } from "zod";
import { DataTable, EmptyState } from "@/components/data-table";
import { searchUsers, USERS_PAGE_SIZE } from "@/lib/admin";
import { requireAdmin } from "@/lib/accounts";
import { formatMoney } from "@/lib/core/money";

export const metadata = { title: "Users · Admin" };

const COLUMNS = [{ label: "Email" }, { label: "Name" }, { label: "Role" }, { label: "Plan" }, { label: "Wallet", numeric: true }, { label: "Stripe customer" }];

const searchSchema = z.object({
  q: z.string().trim().max(254).optional().catch(undefined),
  after: z.string().max(512).optional().catch(undefined),
});

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin("/admin/users");
  const query = searchSchema.parse(await searchParams);
  const { users, nextCursor } = await searchUsers({ query: query.q, after: query.after, take: USERS_PAGE_SIZE });
  const pageLink = (after?: string) => {
    const params = new URLSearchParams();
    if (query.q) params.set("q", query.q);
    if (after) params.set("after", after);
    const search = params.toString();
    return search ? `/admin/users?${search}` : "/admin/users";
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Users</h1>
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get" role="search">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Email contains</span>
          <input type="search" name="q" defaultValue={query.q ?? ""} placeholder="name@example.com" className="w-72 rounded border border-slate-300 px-2 py-1.5" />
        </label>
        <button type="submit" className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Search</button>
        {query.q && <Link href="/admin/users" className="py-1.5 text-slate-700 underline">Clear</Link>}
      </form>
      {users.length === 0 ? (
        <EmptyState title={query.q ? `No user's email contains “${query.q}”` : "No users yet"}>{query.q ? "Search matches any part of the address, in any case." : "Users appear here once they sign up."}</EmptyState>
      ) : (
        <DataTable label="Users" columns={COLUMNS}>
          {users.map((user) => (
            <tr key={user.id} data-testid="user-row">
              <td className="px-3 py-2"><Link href={`/admin/users/${user.id}`} className="font-medium text-indigo-700 underline">{user.email}</Link></td>
              <td className="px-3 py-2">{user.name ?? "—"}</td>
              <td className="px-3 py-2">{user.role}</td>
              <td className="px-3 py-2">{user.planName}{user.subscriptionStatus && <span className="text-slate-500"> · {user.subscriptionStatus}</span>}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                {user.wallets.length === 0 ? "—" : user.wallets.map((wallet) => formatMoney(wallet.balanceMinor, wallet.currency)).join(", ")}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{user.stripeCustomerId ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <nav aria-label="User pages" className="flex gap-4 text-sm">
        {query.after && <Link href={pageLink()} className="text-slate-700 underline">First page</Link>}
        {nextCursor && <Link href={pageLink(nextCursor)} className="text-slate-700 underline">Next page</Link>}
      </nav>
    </div>
  );
}
