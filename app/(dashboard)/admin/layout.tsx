import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/lib/accounts";

// Every admin page sits under this layout, which refuses anyone but an ADMIN (403 for a USER); each
// page and API still checks on its own, since a layout does not guard the segments below it.
// The console's tables (ids, event types, errors) need more room than the site's reading width, so
// the layout widens to 80rem on large screens, centred on the page as the rest of the site is.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin("/admin");
  return (
    <div className="relative left-1/2 w-[min(80rem,calc(100vw-3rem))] -translate-x-1/2 space-y-6">
      <AdminNav />
      {children}
    </div>
  );
}
