// GET /api/admin/transactions (old name, kept): the ledger's rows are "entries" now (docs/glossary.md),
// and this path answers exactly as GET /api/admin/entries does, for scripts that still call it (old name, kept).
import { GET as listEntries } from "@/app/api/admin/entries/route";

export const GET = listEntries;
