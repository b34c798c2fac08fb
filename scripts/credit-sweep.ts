// npm run credits:sweep: expire due credit grants and lapsed reservations, charge pending auto-recharges, once; then print what it
// did as JSON. The same work as POST /api/cron/credits, for a scheduler without HTTP. Uses DATABASE_URL.
import { runCreditSweep } from "../lib/usage/credit-sweep";
import { db } from "../lib/core/db";

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. Point it at the app's database (for `npm run dev`'s: postgresql://postgres:billfold@127.0.0.1:54329/postgres).");
  process.exit(2);
}
const result = await runCreditSweep();
console.log(JSON.stringify(result));
await db().$disconnect();
