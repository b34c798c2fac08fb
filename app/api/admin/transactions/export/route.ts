// GET /api/admin/transactions/export: the same filter as /api/admin/transactions as a CSV download,
// streamed batch by batch so an export of millions of entries never sits in memory (admins only).
import { transactionFilterSchema, transactionsCsvStream, transactionsExportFileName } from "@/lib/admin/transactions";
import { withAdmin } from "@/lib/guards";

export const GET = withAdmin(async (req) => {
  const filter = transactionFilterSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return new Response(transactionsCsvStream(filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${transactionsExportFileName()}"`,
      "Cache-Control": "no-store",
    },
  });
});
