// GET /api/admin/entries/export: the same filter as /api/admin/entries as a CSV download,
// streamed batch by batch so an export of millions of entries never sits in memory (admins only;
// each download is audited with its filter).
import { exportAdminEntriesCsv, adminEntryFilterSchema } from "@/lib/admin";
import { withAdmin } from "@/lib/accounts";

export const GET = withAdmin(async (req, { user }) => {
  const filter = adminEntryFilterSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { stream, fileName } = await exportAdminEntriesCsv({ id: user.id, email: user.email }, filter);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
    },
  });
});
