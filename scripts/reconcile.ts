// npm run reconcile [-- --from <time> --to <time>] [--backfill]: compare Stripe with the ledger for a
// range (default: the last 24 hours), for cron. With --backfill, events Billfold never received are
// fetched from Stripe and applied first (audited as the system actor), then the range is compared.
// Prints the report; exits 1 while discrepancies remain, 0 when Stripe and the ledger agree, 2 on
// bad arguments, a missing configuration or Stripe being unreachable.
//
// It uses the app's environment: DATABASE_URL, and STRIPE_SECRET_KEY (with STRIPE_API_HOST/PORT/
// PROTOCOL for the emulator). Times without a zone are UTC.
import { parseArgs } from "node:util";

const USAGE = "usage: npm run reconcile -- [--from 2026-11-23T00:00] [--to 2026-11-24T00:00] [--backfill]";

const HOW_TO_CONFIGURE = {
  DATABASE_URL:
    "DATABASE_URL is not set. Point it at the app's database, e.g. DATABASE_URL=postgresql://user:pass@host:5432/billfold npm run reconcile\n" +
    "(for `npm run dev`'s embedded database: DATABASE_URL=postgresql://postgres:billfold@127.0.0.1:54329/postgres).",
  STRIPE_SECRET_KEY:
    "STRIPE_SECRET_KEY is not set. Use the app's key (sk_test_… or sk_live_…); for `npm run dev`'s emulator:\n" +
    "STRIPE_SECRET_KEY=sk_test_billfold_local_emulator STRIPE_API_HOST=127.0.0.1 STRIPE_API_PORT=12111 STRIPE_API_PROTOCOL=http npm run reconcile",
} as const;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { from: { type: "string" }, to: { type: "string" }, backfill: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const name of ["DATABASE_URL", "STRIPE_SECRET_KEY"] as const) {
    if (!process.env[name]) fail(HOW_TO_CONFIGURE[name]);
  }

  // Loaded after the checks: the app's modules read the environment on first use.
  const { reconcileRangeSchema } = await import("../lib/reconcile/range");
  const { backfillEvents, isClean, reconcile, SYSTEM_ACTOR } = await import("../lib/reconcile");
  const { formatReport } = await import("../lib/reconcile/report");
  const { AppError } = await import("../lib/core/errors");
  const { db } = await import("../lib/core/db");

  const now = new Date();
  const parsed = reconcileRangeSchema.safeParse({
    from: values.from ?? new Date(now.getTime() - 24 * 60 * 60_000).toISOString(),
    to: values.to ?? now.toISOString(),
  });
  if (!parsed.success) fail(`${parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n")}\n${USAGE}`);
  const range = parsed.data;

  try {
    if (values.backfill) {
      const counts = await backfillEvents(range, SYSTEM_ACTOR);
      console.log(`Backfill: fetched ${counts.fetched}, stored ${counts.stored} new, ${counts.duplicates} duplicates, processed ${counts.processed}, retried ${counts.retried}, unmatched ${counts.unmatched}, failed ${counts.failed}`);
    }
    const report = await reconcile(range);
    console.log(formatReport(report));
    return isClean(report) ? 0 : 1;
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  } finally {
    await db().$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
