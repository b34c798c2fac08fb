import { db } from "../core/db";

// No count over the ledger or the event log here: with millions of rows it would cost every visit
// hundreds of milliseconds; the transaction and webhook pages total what their filter selects.
export async function getAdminOverview() {
  return { users: await db().user.count() };
}
