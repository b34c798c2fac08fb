import pg from "pg";

// A large, correct ledger for measuring the admin console and /wallet at scale (npm run seed:large,
// npm run bench:admin). Everything is generated in PostgreSQL with set-based SQL (generate_series
// and window functions), so a million entries take seconds rather than a million round trips.
//
// What it writes, all under the @large.billfold.test domain so it can be found and removed again:
// - `users` users with one wallet each; user 0 is heavy@large.billfold.test, who gets `heavyEntries`
//   entries; the rest are spread over the others with a skew (user i's share falls like 1/√i), so
//   a few wallets are busy and most are quiet, as in a real product;
// - admin@large.billfold.test (ADMIN), named on the ADJUSTMENT entries as the admin who made them;
// - entries spread over the year before `endAt`, in blocks of four per wallet (in time order): a
//   credit (TOPUP, PLAN_GRANT or ADJUSTMENT) of C, then three debits (mostly USAGE, some REFUND,
//   DISPUTE_HOLD and ADJUSTMENT) of at most ⌊C/3⌋ each, mostly small (the cube of a uniform draw).
//   So no debit takes a balance below zero, balanceAfterMinor is the running sum in (createdAt, id)
//   order, computed by a window function, and Wallet.balanceMinor is the sum of the wallet's entries: findLedgerViolations passes.
// Idempotency keys follow lib/ledger/keys.ts and are unique (they carry the entry's number).

export const LARGE_SEED_DOMAIN = "large.billfold.test";
export const LARGE_HEAVY_EMAIL = `heavy@${LARGE_SEED_DOMAIN}`;
export const LARGE_ADMIN_EMAIL = `admin@${LARGE_SEED_DOMAIN}`;

export interface LargeLedgerOptions {
  entries: number;
  users: number;
  /** Entries of the heavy user (user 0); the rest go to the other users. */
  heavyEntries: number;
  currency: string;
  /** The newest entry is at most this recent; the oldest a year before. */
  endAt: Date;
  /** Prints each step and its time. */
  log?: (line: string) => void;
}

export interface LargeLedgerSummary {
  users: number;
  entries: number;
  heavyUser: { id: string; email: string; entries: number };
  admin: { id: string; email: string };
  seconds: number;
}

export class LargeSeedRefusedError extends Error {}

/** The defaults: 1M entries over 10,000 users, 50,000 of them (5%) for the heavy user. */
export function defaultHeavyEntries(entries: number): number {
  return Math.min(50_000, Math.floor(entries / 20));
}

/** True when this database already holds a large seed (its users are under LARGE_SEED_DOMAIN). */
export async function hasLargeSeed(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ seeded: boolean }>(`SELECT EXISTS (SELECT 1 FROM "User" WHERE "email" LIKE $1) AS seeded`, [`%@${LARGE_SEED_DOMAIN}`]);
  return rows[0]?.seeded ?? false;
}

/** Removes a previous large seed (its users, wallets and entries) and nothing else. */
export async function removeLargeSeed(client: pg.ClientBase): Promise<number> {
  await client.query("BEGIN");
  try {
    const seededUsers = `SELECT "id" FROM "User" WHERE "email" LIKE $1`;
    const seededWallets = `SELECT "id" FROM "Wallet" WHERE "userId" IN (${seededUsers})`;
    await client.query(`DELETE FROM "CreditGrant" WHERE "walletId" IN (${seededWallets})`, [`%@${LARGE_SEED_DOMAIN}`]);
    const deleted = await client.query(`DELETE FROM "LedgerEntry" WHERE "walletId" IN (${seededWallets})`, [`%@${LARGE_SEED_DOMAIN}`]);
    await client.query(`DELETE FROM "Wallet" WHERE "userId" IN (${seededUsers})`, [`%@${LARGE_SEED_DOMAIN}`]);
    await client.query(`DELETE FROM "User" WHERE "email" LIKE $1`, [`%@${LARGE_SEED_DOMAIN}`]);
    await client.query("COMMIT");
    return deleted.rowCount ?? 0;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function validate(options: LargeLedgerOptions): void {
  const whole = (name: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) throw new LargeSeedRefusedError(`${name} must be a whole number ≥ ${min} (got ${value})`);
  };
  whole("entries", options.entries, 1);
  whole("users", options.users, 2);
  whole("heavy entries", options.heavyEntries, 0);
  if (options.heavyEntries > options.entries) throw new LargeSeedRefusedError("the heavy user cannot have more entries than there are");
  if (!/^[A-Z]{3}$/.test(options.currency)) throw new LargeSeedRefusedError(`currency must be an ISO code like GBP (got ${options.currency})`);
}

/** Seeds the large ledger in one transaction, then VACUUM ANALYZE so the planner sees the real sizes. */
export async function seedLargeLedger(databaseUrl: string, options: LargeLedgerOptions): Promise<LargeLedgerSummary> {
  validate(options);
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (await hasLargeSeed(client)) throw new LargeSeedRefusedError(`this database already holds a large seed (users @${LARGE_SEED_DOMAIN}); pass --reset to replace it`);
    const step = async (label: string, sql: string, params: unknown[] = []) => {
      const at = performance.now();
      const result = await client.query(sql, params);
      log(`  ${label}: ${result.rowCount ?? 0} rows, ${((performance.now() - at) / 1000).toFixed(1)} s`);
      return result;
    };

    await client.query("BEGIN");
    // This transaction is all-or-nothing and repeatable, so its commit need not wait for the WAL flush;
    // more work memory lets the window functions and the index builds sort in memory.
    await client.query("SET LOCAL synchronous_commit = off");
    await client.query("SET LOCAL work_mem = '256MB'");
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    // Deterministic ids, amounts and times for the same options and endAt.
    await client.query("SELECT setseed(0.42)");

    const endAt = options.endAt.toISOString();
    const adminId = "c" + "large0admin".padEnd(24, "0");
    await step(
      "users",
      `CREATE TEMP TABLE large_user ON COMMIT DROP AS
       SELECT n,
              'c' || substr(md5('large-user-' || n), 1, 24) AS user_id,
              'c' || substr(md5('large-wallet-' || n), 1, 24) AS wallet_id,
              CASE WHEN n = 0 THEN $2 ELSE 'user-' || lpad(n::text, 6, '0') || '@' || $3 END AS email
       FROM generate_series(0, $1::int - 1) AS n`,
      [options.users, LARGE_HEAVY_EMAIL, LARGE_SEED_DOMAIN],
    );
    await step(
      "User rows",
      `INSERT INTO "User" ("id", "email", "name", "emailVerified", "role", "createdAt", "updatedAt")
       SELECT user_id, email, CASE WHEN n = 0 THEN 'Heavy User' ELSE 'Seeded User ' || n END, t, 'USER'::"Role", t, t
       FROM large_user, (SELECT $1::timestamptz - interval '366 days' AS t) AS start
       UNION ALL
       SELECT $2, $3, 'Large Seed Admin', t, 'ADMIN'::"Role", t, t FROM (SELECT $1::timestamptz - interval '366 days' AS t) AS start`,
      [endAt, adminId, LARGE_ADMIN_EMAIL],
    );

    // One row per entry: its wallet (user 0 first, the rest skewed towards low user numbers by the
    // square of a uniform draw), its time (millisecond precision, as the column stores it), its id,
    // and its position among its wallet's entries in (createdAt, id) order.
    await step(
      "entries (generated)",
      `CREATE TEMP TABLE large_entry ON COMMIT DROP AS
       WITH drawn AS (
         SELECT k,
                CASE WHEN k <= $2 THEN 0 ELSE 1 + floor(($3::int - 1) * power(random(), 2))::int END AS n,
                ($4::timestamptz - random() * interval '365 days')::timestamp(3) AS created_at,
                'c' || substr(md5('large-entry-' || k), 1, 24) AS id,
                random() AS kind_roll,
                random() AS amount_roll
         FROM generate_series(1, $1::int) AS k
       ), placed AS (
         SELECT drawn.*, row_number() OVER (PARTITION BY n ORDER BY created_at, id) - 1 AS position FROM drawn
       ), priced AS (
         -- C for the wallet's block of four: £5 to £500 in whole pounds, the same for every row of the block.
         SELECT placed.*, position % 4 = 0 AS is_credit,
                100 * (5 + abs(hashtext(n || ':' || position / 4)) % 496) AS block_credit
         FROM placed
       ), typed AS (
         SELECT priced.*,
                CASE WHEN is_credit THEN
                       CASE WHEN kind_roll < 0.88 THEN 'TOPUP' WHEN kind_roll < 0.98 THEN 'PLAN_GRANT' ELSE 'ADJUSTMENT' END
                     ELSE
                       CASE WHEN kind_roll < 0.95 THEN 'USAGE' WHEN kind_roll < 0.98 THEN 'REFUND' WHEN kind_roll < 0.99 THEN 'DISPUTE_HOLD' ELSE 'ADJUSTMENT' END
                END AS type,
                CASE WHEN is_credit THEN block_credit ELSE -greatest(1, floor(power(amount_roll, 3) * (block_credit / 3))::int) END AS amount
         FROM priced
       )
       SELECT typed.id, typed.k, typed.n, large_user.user_id, large_user.wallet_id, typed.created_at, typed.type, typed.amount,
              sum(typed.amount) OVER (PARTITION BY typed.n ORDER BY typed.created_at, typed.id ROWS UNBOUNDED PRECEDING) AS balance_after
       FROM typed JOIN large_user USING (n)`,
      [options.entries, options.heavyEntries, options.users, endAt],
    );
    await step(
      "Wallet rows",
      `INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "createdAt", "updatedAt")
       SELECT large_user.wallet_id, large_user.user_id, $1, coalesce(totals.balance, 0),
              coalesce(totals.first_at, $2::timestamptz - interval '365 days'), coalesce(totals.last_at, $2::timestamptz - interval '365 days')
       FROM large_user
       LEFT JOIN (SELECT n, sum(amount) AS balance, min(created_at) AS first_at, max(created_at) AS last_at FROM large_entry GROUP BY n) AS totals USING (n)`,
      [options.currency, endAt],
    );
    // The seeded entry list is summed, not drawn grant by grant: each wallet's positive balance is one
    // opening grant, as migration 20261124160000_credit_grants does for money older than grants.
    await step(
      "CreditGrant rows",
      `INSERT INTO "CreditGrant" ("id", "walletId", "entryId", "source", "category", "amountMinor", "remainingMinor", "priority", "createdAt")
       SELECT gen_random_uuid()::text, "id", NULL, 'opening_balance', 'paid', "balanceMinor", "balanceMinor", 50, "updatedAt"
       FROM "Wallet" WHERE "userId" IN (SELECT user_id FROM large_user) AND "balanceMinor" > 0`,
      [],
    );
    // Building the ledger's secondary indexes once over the sorted rows is several times faster than
    // updating seven btrees row by row. Dropped and re-created inside this transaction, with the
    // definitions read from the catalog, so a failure leaves them as they were.
    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = 'LedgerEntry'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = '"LedgerEntry"'::regclass)`,
    );
    for (const index of indexes.rows) await client.query(`DROP INDEX "${index.name}"`);
    // In time order, as an append-only ledger is laid out on disk.
    await step(
      "LedgerEntry rows",
      `INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "stripeObjectId", "description", "createdByAdminId", "createdAt")
       SELECT id, wallet_id, type::"LedgerEntryType", amount, balance_after,
              CASE type
                WHEN 'TOPUP' THEN 'topup:cs_test_' || substr(md5('cs' || k), 1, 24)
                WHEN 'PLAN_GRANT' THEN 'plan_grant:in_' || substr(md5('in' || k), 1, 24)
                WHEN 'USAGE' THEN 'usage:' || user_id || ':call-' || k
                WHEN 'REFUND' THEN 'refund:re_' || substr(md5('re' || k), 1, 24)
                WHEN 'DISPUTE_HOLD' THEN 'dispute_hold:dp_' || substr(md5('dp' || k), 1, 24)
                ELSE 'adjustment:large-' || k
              END,
              CASE type
                WHEN 'TOPUP' THEN 'pi_' || substr(md5('pi' || k), 1, 24)
                WHEN 'PLAN_GRANT' THEN 'in_' || substr(md5('in' || k), 1, 24)
                WHEN 'REFUND' THEN 're_' || substr(md5('re' || k), 1, 24)
                WHEN 'DISPUTE_HOLD' THEN 'dp_' || substr(md5('dp' || k), 1, 24)
              END,
              CASE type
                WHEN 'TOPUP' THEN 'Credit pack: ' || (amount / 100) || ' credits'
                WHEN 'PLAN_GRANT' THEN 'Monthly plan credit'
                WHEN 'USAGE' THEN 'API call'
                WHEN 'REFUND' THEN 'Refund'
                WHEN 'DISPUTE_HOLD' THEN 'Payment disputed: amount on hold'
                ELSE 'Manual adjustment'
              END,
              CASE WHEN type = 'ADJUSTMENT' THEN $1 END,
              created_at
       FROM large_entry
       ORDER BY created_at, id`,
      [adminId],
    );
    const indexesAt = performance.now();
    for (const index of indexes.rows) await client.query(index.definition);
    log(`  ${indexes.rows.length} LedgerEntry indexes rebuilt: ${((performance.now() - indexesAt) / 1000).toFixed(1)} s`);
    const heavy = await client.query<{ id: string; entries: string }>(
      `SELECT user_id AS id, count(*) AS entries FROM large_entry WHERE n = 0 GROUP BY user_id`,
    );
    await client.query("COMMIT");

    const at = performance.now();
    await client.query(`VACUUM (ANALYZE) "User", "Wallet", "LedgerEntry"`);
    log(`  VACUUM (ANALYZE): ${((performance.now() - at) / 1000).toFixed(1)} s`);

    const heavyRow = heavy.rows[0];
    return {
      users: options.users,
      entries: options.entries,
      heavyUser: { id: heavyRow?.id ?? "", email: LARGE_HEAVY_EMAIL, entries: Number(heavyRow?.entries ?? 0) },
      admin: { id: adminId, email: LARGE_ADMIN_EMAIL },
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * The ledger invariant over the whole database in SQL (findLedgerViolations reads every entry into
 * Node, ~20 s for a million): each entry's balanceAfterMinor is the running sum of its wallet's
 * entries in (createdAt, id) order, each wallet's balance is the sum of its entries, and no debit
 * overdraws except a refund or dispute hold.
 */
export async function checkLargeLedger(client: pg.ClientBase): Promise<{ ok: boolean; detail: string }> {
  const { rows } = await client.query<{ entries: string; broken_chain: string; wrong_balance: string; overdrawn: string }>(
    `SELECT (SELECT count(*) FROM "LedgerEntry") AS entries,
            (SELECT count(*) FROM (
               SELECT "balanceAfterMinor" <> sum("amountMinor") OVER (PARTITION BY "walletId" ORDER BY "createdAt", "id" ROWS UNBOUNDED PRECEDING) AS broken
               FROM "LedgerEntry") AS chained WHERE broken) AS broken_chain,
            (SELECT count(*) FROM "Wallet" w
               LEFT JOIN (SELECT "walletId", sum("amountMinor") AS total FROM "LedgerEntry" GROUP BY "walletId") AS sums ON sums."walletId" = w."id"
               WHERE w."balanceMinor" <> coalesce(sums.total, 0)) AS wrong_balance,
            (SELECT count(*) FROM "LedgerEntry" WHERE "amountMinor" < 0 AND "balanceAfterMinor" < 0 AND "type" NOT IN ('REFUND', 'DISPUTE_HOLD')) AS overdrawn`,
  );
  const row = rows[0];
  const counts = { brokenChain: Number(row?.broken_chain ?? 0), wrongBalance: Number(row?.wrong_balance ?? 0), overdrawn: Number(row?.overdrawn ?? 0) };
  return {
    ok: counts.brokenChain === 0 && counts.wrongBalance === 0 && counts.overdrawn === 0,
    detail: `${Number(row?.entries ?? 0).toLocaleString("en-GB")} entries; ${counts.brokenChain} off the running total, ${counts.wrongBalance} wallets off their sum, ${counts.overdrawn} overdrafts`,
  };
}
