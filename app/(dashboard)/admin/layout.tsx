import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/lib/guards";

// Every admin page sits under this layout, which refuses anyone but an ADMIN (403 for a USER); each
// page and API still checks on its own, since a layout does not guard the segments below it.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin("/admin");
  return (
    <div className="space-y-6">
      <AdminNav />
      {children}
    </div>
  );
}
