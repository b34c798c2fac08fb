import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../lib/core/db";
import { findLedgerViolations } from "../lib/ledger/invariants";
import { checkLargeLedger, LARGE_ADMIN_EMAIL, LARGE_HEAVY_EMAIL, LargeSeedRefusedError, removeLargeSeed, seedLargeLedger } from "./large-ledger";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../test/throwaway-db";

// The large seed (npm run seed:large) at a small size, on a database of its own (its admin and
// thousands of entries must not show up in other test files' lists): the ledger it writes passes
// the same invariant check as the app's own writes, with no overdraft.

const OPTIONS = { entries: 4_000, users: 40, heavyEntries: 800, currency: "GBP", endAt: new Date("2026-11-24T12:00:00Z") };

let database: ThrowawayDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createThrowawayDatabase("billfold_large_seed");
  // This worker's db() (used by findLedgerViolations) reads the environment on first use.
  process.env.DATABASE_URL = database.url;
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db().$disconnect();
  await database?.drop();
});

describe("seedLargeLedger", () => {
  it("writes a ledger whose balances are running totals, with no overdraft and the heavy user busiest", async () => {
    const summary = await seedLargeLedger(database.url, OPTIONS);
    expect(summary.heavyUser).toMatchObject({ email: LARGE_HEAVY_EMAIL, entries: 800 });

    const { walletsChecked, violations } = await findLedgerViolations();
    expect(violations).toEqual([]);
    expect(walletsChecked).toBe(40);

    const { rows } = await client.query<{ entries: number; keys: number; overdrawn: number; not_integer: number; span_days: number }>(
      `SELECT count(*)::int AS entries, count(DISTINCT "idempotencyKey")::int AS keys,
              count(*) FILTER (WHERE "balanceAfterMinor" < 0)::int AS overdrawn,
              count(*) FILTER (WHERE "amountMinor" = 0)::int AS not_integer,
              extract(day FROM max("createdAt") - min("createdAt"))::int AS span_days
       FROM "LedgerEntry"`,
    );
    expect(rows[0]).toMatchObject({ entries: 4_000, keys: 4_000, overdrawn: 0, not_integer: 0 });
    expect(rows[0]?.span_days).toBeGreaterThan(300);

    const busiest = await client.query<{ email: string }>(
      `SELECT u."email" FROM "LedgerEntry" e JOIN "Wallet" w ON w."id" = e."walletId" JOIN "User" u ON u."id" = w."userId"
       GROUP BY u."email" ORDER BY count(*) DESC LIMIT 1`,
    );
    expect(busiest.rows[0]?.email).toBe(LARGE_HEAVY_EMAIL);
    const admin = await client.query<{ role: string }>(`SELECT "role" FROM "User" WHERE "email" = $1`, [LARGE_ADMIN_EMAIL]);
    expect(admin.rows[0]?.role).toBe("ADMIN");
  });

  it("checkLargeLedger agrees, and notices a balance written behind the ledger's back", async () => {
    expect(await checkLargeLedger(client)).toMatchObject({ ok: true });
    const heavy = `(SELECT w."id" FROM "Wallet" w JOIN "User" u ON u."id" = w."userId" WHERE u."email" = '${LARGE_HEAVY_EMAIL}')`;
    await client.query(`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + 1 WHERE "id" = ${heavy}`); // 1p out of thin air
    try {
      expect(await checkLargeLedger(client)).toMatchObject({ ok: false, detail: expect.stringContaining("1 wallets off their sum") });
    } finally {
      await client.query(`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" - 1 WHERE "id" = ${heavy}`);
    }
  });

  it("refuses to seed twice, and removeLargeSeed removes only what it wrote", async () => {
    await expect(seedLargeLedger(database.url, OPTIONS)).rejects.toBeInstanceOf(LargeSeedRefusedError);
    await client.query(`INSERT INTO "User" ("id", "email", "updatedAt") VALUES ('someone-else', 'someone@example.test', now())`);

    expect(await removeLargeSeed(client)).toBe(4_000);
    const { rows } = await client.query<{ users: number; entries: number }>(
      `SELECT (SELECT count(*)::int FROM "User") AS users, (SELECT count(*)::int FROM "LedgerEntry") AS entries`,
    );
    expect(rows[0]).toEqual({ users: 1, entries: 0 });
  });
});
