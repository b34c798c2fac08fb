"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export const ADMIN_SECTIONS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/entries", label: "Entries" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/reconcile", label: "Reconcile" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="flex flex-wrap gap-1 border-b border-slate-200 pb-2 text-sm">
      {ADMIN_SECTIONS.map((section) => {
        const current = section.href === "/admin" ? pathname === "/admin" : pathname.startsWith(section.href);
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={current ? "page" : undefined}
            className={`rounded px-3 py-1.5 ${current ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
