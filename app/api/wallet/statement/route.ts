// GET /api/wallet/statement?type=&from=&to=: the signed-in user's own wallet entry list, filtered as on
// /wallet and in its order, as a CSV download streamed batch by batch (a Pro and Team feature).
import { requireFeature } from "@/lib/billing";
import { env } from "@/lib/core/env";
import { withUser } from "@/lib/accounts";
import { statementCsvStream, statementFileName } from "@/lib/ledger";
import { walletEntryFilterSchema } from "@/lib/validations/wallet-entries";

export const GET = withUser(async (req, { user }) => {
  await requireFeature(user.id, "statement_export");
  const filter = walletEntryFilterSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return new Response(statementCsvStream(user.id, env().BILLFOLD_CURRENCY, filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${statementFileName()}"`,
      "Cache-Control": "no-store",
    },
  });
});
