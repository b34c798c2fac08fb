import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, pgPool } from "../core/db";
import { credit, debit } from "./ledger";
import { SqlParameters } from "../core/sql-parameters";
import { oneStatementCredit, type CreditWithoutWallet } from "./one-statement-credit";

// A credit written inside one statement is the credit credit() writes: the same entry, grant, draws
// and wallet, from the same options. Each case runs both on two wallets set up alike and compares them.

async function newUser() {
  return (await db().user.create({ data: { email: `one-statement-${randomUUID()}@example.test` } })).id;
}

/** Credits the user's wallet in one statement, when `write`; returns how many entries it wrote. */
async function creditInOneStatement(userId: string, options: CreditWithoutWallet, write = true): Promise<number> {
  const params = new SqlParameters();
  const target = `target AS (SELECT ${params.add(userId)}::text AS "userId", 'GBP'::text AS "currency" WHERE ${params.add(write)}::boolean)`;
  const written = oneStatementCredit(params, "target", options);
  const result = await pgPool().query<{ written: number }>(`WITH ${target}, ${written.ctes} SELECT count(*)::int AS "written" FROM ${written.entry}`, params.values);
  return result.rows[0]?.written ?? 0;
}

function creditWithCredit(userId: string, options: CreditWithoutWallet) {
  return db().$transaction((tx) => credit(tx, { userId, currency: "GBP", ...options }));
}

async function rowsOf(userId: string) {
  const wallet = await db().wallet.findUnique({ where: { userId_currency: { userId, currency: "GBP" } }, select: { balanceMinor: true, lowBalanceAlertedAt: true } });
  const entries = await db().ledgerEntry.findMany({
    where: { wallet: { userId } },
    orderBy: { balanceAfterMinor: "asc" },
    select: { type: true, amountMinor: true, balanceAfterMinor: true, idempotencyKey: true, stripeObjectId: true, description: true, createdByAdminId: true },
  });
  const grants = await db().creditGrant.findMany({
    where: { wallet: { userId } },
    orderBy: { createdAt: "asc" },
    select: { source: true, category: true, amountMinor: true, remainingMinor: true, priority: true, expiresAt: true, purchaseId: true, rolloverCapMinor: true, draws: { select: { amountMinor: true } } },
  });
  return { wallet, entries: entries.map((entry) => ({ ...entry, idempotencyKey: entry.idempotencyKey.replace(userId, "<user>") })), grants };
}

/** Sets two users up alike with `setUp`, credits one each way, and returns both wallets' rows. */
async function bothWays(options: (userId: string) => CreditWithoutWallet, setUp: (userId: string) => Promise<unknown> = async () => {}) {
  const [viaCredit, viaStatement] = [await newUser(), await newUser()];
  await setUp(viaCredit);
  await setUp(viaStatement);
  await creditWithCredit(viaCredit, options(viaCredit));
  expect(await creditInOneStatement(viaStatement, options(viaStatement))).toBe(1);
  return { viaCredit: await rowsOf(viaCredit), viaStatement: await rowsOf(viaStatement) };
}

describe("a credit written in one statement", () => {
  it("opens the wallet, the entry and its paid grant as credit() does", async () => {
    const { viaCredit, viaStatement } = await bothWays((userId) => ({
      type: "TOPUP",
      amountMinor: 1500, // £15.00
      idempotencyKey: `topup:cs_${userId}`,
      stripeObjectId: "pi_test_same",
      description: "Starter credit pack",
      purchaseId: "purchase-1",
    }));
    expect(viaStatement).toEqual(viaCredit);
    expect(viaStatement.entries).toMatchObject([{ type: "TOPUP", amountMinor: 1500, balanceAfterMinor: 1500 }]);
    expect(viaStatement.grants).toEqual([
      { source: "topup", category: "paid", amountMinor: 1500, remainingMinor: 1500, priority: 50, expiresAt: null, purchaseId: "purchase-1", rolloverCapMinor: null, draws: [] },
    ]);
  });

  it("adds to an existing balance, and repays a negative one first with a draw by the credit itself", async () => {
    const owing = (userId: string) =>
      db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor: 300, type: "REFUND", idempotencyKey: `refund:${userId}` })); // -£3.00
    const { viaCredit, viaStatement } = await bothWays((userId) => ({ type: "TOPUP", amountMinor: 1000, idempotencyKey: `topup:cs_${userId}` }), owing);
    expect(viaStatement).toEqual(viaCredit);
    expect(viaStatement.wallet?.balanceMinor).toBe(700);
    expect(viaStatement.grants).toMatchObject([{ amountMinor: 1000, remainingMinor: 700, draws: [{ amountMinor: 300 }] }]);
  });

  it("takes the caller's grant terms over the type's defaults (expiry, rollover cap, priority)", async () => {
    const expiresAt = new Date("2031-01-31T00:00:00.000Z");
    const { viaCredit, viaStatement } = await bothWays((userId) => ({
      type: "PLAN_GRANT",
      amountMinor: 2000,
      idempotencyKey: `plan_grant:in_${userId}`,
      description: "Team plan credit",
      grant: { expiresAt, rolloverCapMinor: 500, priority: 15 },
    }));
    expect(viaStatement).toEqual(viaCredit);
    expect(viaStatement.grants).toMatchObject([{ source: "plan", category: "promotional", priority: 15, expiresAt, rolloverCapMinor: 500 }]);
  });

  it("re-arms the low-balance alert once what is available is back at its threshold", async () => {
    const alerted = (userId: string) =>
      db().wallet.create({ data: { userId, currency: "GBP", lowBalanceThresholdMinor: 500, lowBalanceAlertedAt: new Date("2026-01-01T00:00:00Z") } });
    const { viaCredit, viaStatement } = await bothWays((userId) => ({ type: "TOPUP", amountMinor: 500, idempotencyKey: `topup:cs_${userId}` }), alerted);
    expect(viaStatement).toEqual(viaCredit);
    expect(viaStatement.wallet).toEqual({ balanceMinor: 500, lowBalanceAlertedAt: null });
  });

  it("writes nothing when the caller's row is missing, and fails whole when its key is taken", async () => {
    const userId = await newUser();
    expect(await creditInOneStatement(userId, { type: "TOPUP", amountMinor: 500, idempotencyKey: `topup:cs_${userId}` }, false)).toBe(0);
    expect(await rowsOf(userId)).toEqual({ wallet: null, entries: [], grants: [] });

    await creditWithCredit(userId, { type: "TOPUP", amountMinor: 500, idempotencyKey: `topup:cs_${userId}` });
    await expect(creditInOneStatement(userId, { type: "TOPUP", amountMinor: 500, idempotencyKey: `topup:cs_${userId}` })).rejects.toMatchObject({ code: "23505" });
    expect((await rowsOf(userId)).wallet?.balanceMinor).toBe(500);
    expect((await rowsOf(userId)).entries).toHaveLength(1);
  });
});
