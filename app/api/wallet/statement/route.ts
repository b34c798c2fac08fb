// GET /api/wallet/statement: the signed-in user's wallet history as a CSV download (a Pro and Team feature).
import { requireFeature } from "@/lib/billing/queries";
import { env } from "@/lib/env";
import { withUser } from "@/lib/guards";
import { listStatementEntries, statementCsv, statementFileName } from "@/lib/ledger";

export const GET = withUser(async (_req, { user }) => {
  await requireFeature(user.id, "statement_export");
  const currency = env().BILLFOLD_CURRENCY;
  const csv = statementCsv(await listStatementEntries(user.id, currency), currency);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${statementFileName()}"`,
      "Cache-Control": "no-store",
    },
  });
});
