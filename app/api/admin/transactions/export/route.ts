// GET /api/admin/transactions/export (old name, kept): answers exactly as GET /api/admin/entries/export
// does (the same CSV, audited the same way), for scripts that still call it (docs/glossary.md).
import { GET as exportEntries } from "@/app/api/admin/entries/export/route";

export const GET = exportEntries;
