import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db, type Tx } from "../core/db";
import { emailsQueuedIn } from "../email";
import { getEffectivePlan, planCapTerms } from "../billing";
import { seedPlans } from "../tooling/seed";
import { credit, debit } from "./ledger";
import { setWalletLimits } from "./limits";
import { reserve } from "./reservations";
import { rechargesQueuedIn } from "./thresholds";
import { usageDebitInOneStatement, type RunStatement } from "./one-statement-debit";

// A USAGE debit in one statement (ledger_usage_debit) is the debit the spend route made before it:
// the effective plan's cap read first, then debit() in a transaction. Each case sets two users up
// alike, spends the same way through each, and compares the result (or the refusal) and every row
// the spend touches: the entries, the wallet's balance, usage counters and alert fields, the grants
// and their draws, the outbox and the recharges.

const NOW = new Date("2031-03-15T12:00:00.000Z");
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

beforeAll(async () => {
  await seedPlans(db(), "GBP"); // Free: £100.00 a month
});

async function newUser(verified = true) {
  return (await db().user.create({ data: { email: `one-statement-debit-${randomUUID()}@example.test`, emailVerified: verified ? new Date() : null } })).id;
}

const walletOf = (userId: string) => db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } });

/** A credit whose key names its user, type and amount (unique within a case, the same for both users once named). */
function topUp(userId: string, amountMinor: number, grant: Parameters<typeof credit>[1]["grant"] = undefined, type: Parameters<typeof credit>[1]["type"] = "TOPUP") {
  return db().$transaction((tx) => credit(tx, { userId, currency: "GBP", amountMinor, type, idempotencyKey: `credit:${userId}:${type}:${amountMinor}`, grant, now: NOW }));
}

interface Spend {
  amountMinor: number;
  /** The caller's key; the ledger key is scoped to the user as usageKey scopes it. */
  key: string;
}

/** The old way: the effective plan's cap read first, then debit() in a transaction (or in `inTx`, a caller's). */
async function spendInSteps(userId: string, spend: Spend, inTx?: Tx) {
  const { plan } = await getEffectivePlan(userId, NOW);
  const spendLimit = plan.monthlySpendLimitMinor === null ? undefined : { limitMinor: plan.monthlySpendLimitMinor };
  const work = async (tx: Tx) => {
    const [emailsBefore, rechargesBefore] = [emailsQueuedIn(tx), rechargesQueuedIn(tx).length];
    const { entry, applied } = await debit(tx, {
      userId, currency: "GBP", type: "USAGE", amountMinor: spend.amountMinor, idempotencyKey: `usage:${userId}:${spend.key}`, description: "Test spend", spendLimit, now: NOW,
    });
    return {
      entry: { amountMinor: entry.amountMinor, balanceAfterMinor: entry.balanceAfterMinor },
      applied,
      emailQueued: emailsQueuedIn(tx) > emailsBefore,
      rechargeQueued: rechargesQueuedIn(tx).length > rechargesBefore,
    };
  };
  return inTx ? work(inTx) : db().$transaction(work);
}

/** The statement, on the pool (or in `inTx`, a caller's transaction). */
async function spendInOneStatement(userId: string, spend: Spend, inTx?: Tx) {
  const run: RunStatement | undefined = inTx ? (text, values) => inTx.$queryRawUnsafe(text, ...values) : undefined;
  const { entry, applied, emailQueued, rechargeQueued } = await usageDebitInOneStatement(
    { userId, currency: "GBP", amountMinor: spend.amountMinor, idempotencyKey: `usage:${userId}:${spend.key}`, description: "Test spend", plan: planCapTerms(), now: NOW },
    run,
  );
  return { entry: { amountMinor: entry.amountMinor, balanceAfterMinor: entry.balanceAfterMinor }, applied, emailQueued, rechargeQueued };
}

type Outcome = { result: unknown } | { refused: { name: string; code?: string; details?: unknown } };

/** The outcome as data: the result, or the refusal's class, code and figures. */
async function outcomeOf(run: Promise<unknown>): Promise<Outcome> {
  try {
    return { result: await run };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const { code, details } = error as Error & { code?: string; details?: unknown };
    return { refused: { name: error.name, code, details } };
  }
}

type RowReader = Pick<Tx, "wallet" | "ledgerEntry" | "creditGrant" | "emailOutbox" | "recharge" | "purchase">;

async function rowsOf(userId: string, reader: RowReader = db()) {
  const wallet = await reader.wallet.findUnique({
    where: { userId_currency: { userId, currency: "GBP" } },
    select: { id: true, balanceMinor: true, reservedMinor: true, usagePeriodStart: true, usageInPeriodMinor: true, lowBalanceAlertedAt: true, lowBalanceEmailedAt: true },
  });
  const entries = await reader.ledgerEntry.findMany({
    where: { wallet: { userId } },
    orderBy: [{ createdAt: "asc" }, { balanceAfterMinor: "desc" }],
    select: { id: true, type: true, amountMinor: true, balanceAfterMinor: true, idempotencyKey: true, description: true, stripeObjectId: true, createdByAdminId: true },
  });
  const grants = await reader.creditGrant.findMany({
    where: { wallet: { userId } },
    orderBy: { amountMinor: "asc" },
    select: { source: true, category: true, amountMinor: true, remainingMinor: true, priority: true, expiresAt: true, draws: { select: { amountMinor: true, entryId: true }, orderBy: { amountMinor: "asc" } } },
  });
  const outbox = await reader.emailOutbox.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { key: true, kind: true, payload: true, attempts: true, sentAt: true } });
  const recharges = await reader.recharge.findMany({ where: { wallet: { userId } }, orderBy: { amountMinor: "asc" }, select: { amountMinor: true, currency: true, periodStart: true, status: true, purchaseId: true } });
  const purchases = await reader.purchase.findMany({ where: { id: { in: recharges.map((r) => r.purchaseId) } }, select: { id: true, packKey: true, amountMinor: true, currency: true, status: true } });
  // Ids differ between the two users; what they point at is compared through these names.
  const names = new Map<string, string>([[userId, "<user>"], ...(wallet ? [[wallet.id, "<wallet>"] as [string, string]] : []), ...entries.map((e, i): [string, string] => [e.id, `<entry ${i}>`])]);
  const name = (text: string) => [...names].reduce((named, [id, placeholder]) => named.replaceAll(id, placeholder), text);
  return {
    wallet: wallet && { ...wallet, id: undefined },
    entries: entries.map((e) => ({ ...e, id: name(e.id), idempotencyKey: name(e.idempotencyKey) })),
    grants: grants.map((g) => ({ ...g, draws: g.draws.map((d) => ({ ...d, entryId: name(d.entryId) })) })),
    outbox: outbox.map((o) => ({ ...o, key: name(o.key) })),
    recharges: recharges.map((r) => ({ ...r, purchase: purchases.find((p) => p.id === r.purchaseId) && { ...purchases.find((p) => p.id === r.purchaseId), id: undefined }, purchaseId: undefined })),
  };
}

const ROLLED_BACK = new Error("rolled back on purpose");

/** Runs `work` in a transaction that is rolled back once it is done, and returns what it returned. */
async function rolledBack<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const done: { value?: T } = {};
  await db()
    .$transaction(async (tx) => {
      done.value = await work(tx);
      throw ROLLED_BACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLED_BACK) throw error;
    });
  if (!("value" in done)) throw new Error("rolledBack: the work did not finish");
  return done.value as T;
}

type SpendWay = (userId: string, spend: Spend, inTx?: Tx) => Promise<unknown>;

/** Spends each of `spends` one way and reads the rows, committed; or, with `rollBack`, in one transaction rolled back after the read. */
async function spendAndRead(way: SpendWay, userId: string, spends: Spend[], rollBack: boolean) {
  const work = async (tx?: Tx) => {
    const outcomes: Outcome[] = [];
    for (const spend of spends) outcomes.push(await outcomeOf(way(userId, spend, tx)));
    return { outcomes, rows: await rowsOf(userId, tx) };
  };
  return rollBack ? rolledBack((tx) => work(tx)) : work();
}

/**
 * Sets two users up alike with `setUp`, spends `spends` through each way, and returns the one-statement
 * way's outcomes and rows, having checked they equal the other way's. `rollBack` keeps what the spends
 * wrote from ever being committed: a queued recharge must not be seen by other files' startPendingRecharges().
 */
async function bothWays(setUp: (userId: string) => Promise<unknown>, spends: Spend[], { verified = true, rollBack = false } = {}) {
  const [inSteps, inOneStatement] = [await newUser(verified), await newUser(verified)];
  await setUp(inSteps);
  await setUp(inOneStatement);
  const viaSteps = await spendAndRead(spendInSteps, inSteps, spends, rollBack);
  const viaStatement = await spendAndRead(spendInOneStatement, inOneStatement, spends, rollBack);
  expect(viaStatement.outcomes).toEqual(viaSteps.outcomes);
  expect(viaStatement.rows).toEqual(viaSteps.rows);
  return viaStatement;
}

const spend = (amountMinor: number, key: string = randomUUID()): Spend => ({ amountMinor, key });

describe("a USAGE debit in one statement is the debit the spend route made in steps", () => {
  it("a plain spend: the entry, the balance, the month's usage and the draw", async () => {
    const { outcomes, rows } = await bothWays((userId) => topUp(userId, 1000), [spend(300)]); // £10.00, spend £3.00
    expect(outcomes).toEqual([{ result: { entry: { amountMinor: -300, balanceAfterMinor: 700 }, applied: true, emailQueued: false, rechargeQueued: false } }]);
    expect(rows.wallet).toMatchObject({ balanceMinor: 700, usageInPeriodMinor: 300, usagePeriodStart: new Date("2031-03-01T00:00:00.000Z") });
    expect(rows.grants).toMatchObject([{ amountMinor: 1000, remainingMinor: 700, draws: [{ amountMinor: 300, entryId: "<entry 1>" }] }]);
  });

  it("the same key again replays the entry; a different amount replays it too (the caller refuses that)", async () => {
    const { outcomes, rows } = await bothWays((userId) => topUp(userId, 1000), [spend(300, "same-key"), spend(300, "same-key"), spend(500, "same-key")]);
    expect(outcomes.slice(1)).toEqual([
      { result: { entry: { amountMinor: -300, balanceAfterMinor: 700 }, applied: false, emailQueued: false, rechargeQueued: false } },
      { result: { entry: { amountMinor: -300, balanceAfterMinor: 700 }, applied: false, emailQueued: false, rechargeQueued: false } },
    ]);
    expect(rows.entries).toHaveLength(2);
  });

  it("refuses more than the balance with insufficient_funds, and writes nothing (not even a wallet for a user without one)", async () => {
    const { outcomes } = await bothWays((userId) => topUp(userId, 500), [spend(600)]);
    expect(outcomes).toEqual([{ refused: { name: "InsufficientFundsError", code: "insufficient_funds", details: { balanceMinor: 500, currency: "GBP" } } }]);
    const none = await bothWays(async () => {}, [spend(100)]);
    expect(none.outcomes).toEqual([{ refused: { name: "InsufficientFundsError", code: "insufficient_funds", details: { balanceMinor: 0, currency: "GBP" } } }]);
    expect(none.rows.wallet).toBeNull();
  });

  it("refuses any spend while the balance is negative", async () => {
    const owing = async (userId: string) => {
      await topUp(userId, 500);
      await db().$transaction((tx) => debit(tx, { userId, currency: "GBP", type: "REFUND", amountMinor: 800, idempotencyKey: `refund:${userId}`, now: NOW })); // -£3.00
    };
    const { outcomes } = await bothWays(owing, [spend(100)]);
    expect(outcomes).toEqual([{ refused: { name: "NegativeBalanceError", code: "balance_negative", details: { balanceMinor: -300, currency: "GBP" } } }]);
  });

  it("money held by reservations cannot be spent, and counts towards the month's cap", async () => {
    const held = async (userId: string) => {
      await topUp(userId, 1000);
      await db().$transaction((tx) => reserve(tx, { userId, currency: "GBP", amountMinor: 700, idempotencyKey: `reservation:${userId}`, ttlSeconds: 600, now: NOW }));
      await db().$transaction((tx) => setWalletLimits(tx, { userId, currency: "GBP", spendLimitMinor: 900, lowBalanceThresholdMinor: null, now: NOW }));
    };
    const { outcomes, rows } = await bothWays(held, [spend(400), spend(200), spend(100)]);
    expect(outcomes.map((o) => ("refused" in o ? o.refused.code : "applied"))).toEqual(["insufficient_funds", "applied", "spend_limit_reached"]);
    expect(rows.wallet).toMatchObject({ balanceMinor: 800, reservedMinor: 700 });
  });

  it("holds the user's own cap, set by you", async () => {
    const capped = async (userId: string) => {
      await topUp(userId, 5000);
      await db().$transaction((tx) => setWalletLimits(tx, { userId, currency: "GBP", spendLimitMinor: 500, lowBalanceThresholdMinor: null, now: NOW }));
    };
    const { outcomes } = await bothWays(capped, [spend(400), spend(200), spend(100)]);
    expect(outcomes[1]).toEqual({
      refused: { name: "SpendLimitError", code: "spend_limit_reached", details: { limitMinor: 500, spentMinor: 400, currency: "GBP", resetsAt: "2031-04-01T00:00:00.000Z", setBy: "you" } },
    });
    expect(outcomes[2]).toMatchObject({ result: { applied: true } });
  });

  it("counts only this month's usage: last month's counter starts again at zero", async () => {
    const lastMonth = async (userId: string) => {
      await topUp(userId, 5000);
      await db().$transaction((tx) => setWalletLimits(tx, { userId, currency: "GBP", spendLimitMinor: 500, lowBalanceThresholdMinor: null, now: NOW }));
      const wallet = await walletOf(userId);
      await db().wallet.update({ where: { id: wallet.id }, data: { usagePeriodStart: new Date("2031-02-01T00:00:00.000Z"), usageInPeriodMinor: 450 } });
    };
    const { rows } = await bothWays(lastMonth, [spend(400)]);
    expect(rows.wallet).toMatchObject({ usageInPeriodMinor: 400 });
  });

  describe("the effective plan's cap, read under the lock", () => {
    let planKey = "";
    beforeAll(async () => {
      planKey = `capped-${randomUUID()}`;
      await db().plan.create({ data: { key: planKey, name: "Capped", monthlyPriceMinor: 900, currency: "GBP", monthlyCreditMinor: 0, monthlySpendLimitMinor: 1000, sortOrder: 50 } });
    });
    const subscribed = (fields: { status: "active" | "past_due" | "trialing"; currentPeriodStart?: Date; currentPeriodEnd?: Date; cancelAtPeriodEnd?: boolean; cancelAt?: Date }) => async (userId: string) => {
      await topUp(userId, 5000); // £50.00
      await db().subscription.create({ data: { id: `sub_${randomUUID()}`, userId, stripeCustomerId: `cus_${userId}`, planKey, stripeCreatedAt: new Date(NOW.getTime() - 40 * DAY_MS), ...fields } });
    };
    const planRefusal = { refused: { name: "SpendLimitError", code: "spend_limit_reached", details: { limitMinor: 1000, spentMinor: 0, currency: "GBP", resetsAt: "2031-04-01T00:00:00.000Z", setBy: "plan" } } };

    it("an active subscription's plan caps the month", async () => {
      const { outcomes } = await bothWays(subscribed({ status: "active", currentPeriodStart: new Date(NOW.getTime() - DAY_MS), currentPeriodEnd: new Date(NOW.getTime() + 29 * DAY_MS) }), [spend(1200)]);
      expect(outcomes).toEqual([planRefusal]);
    });

    it("past_due within the grace keeps the plan's cap; past the grace it is Free's", async () => {
      const inGrace = await bothWays(subscribed({ status: "past_due", currentPeriodStart: new Date(NOW.getTime() - 2 * DAY_MS) }), [spend(1200)]);
      expect(inGrace.outcomes).toEqual([planRefusal]);
      const pastGrace = await bothWays(subscribed({ status: "past_due", currentPeriodStart: new Date(NOW.getTime() - 10 * DAY_MS) }), [spend(1200)]);
      expect(pastGrace.outcomes).toMatchObject([{ result: { applied: true } }]);
    });

    it("canceled at period end: the plan's cap until that end, Free's after it", async () => {
      const beforeEnd = await bothWays(subscribed({ status: "active", cancelAtPeriodEnd: true, currentPeriodEnd: new Date(NOW.getTime() + HOUR_MS) }), [spend(1200)]);
      expect(beforeEnd.outcomes).toEqual([planRefusal]);
      const pastEnd = await bothWays(subscribed({ status: "active", cancelAtPeriodEnd: true, currentPeriodEnd: new Date(NOW.getTime() - HOUR_MS) }), [spend(1200)]);
      expect(pastEnd.outcomes).toMatchObject([{ result: { applied: true } }]);
      const cancelAtPast = await bothWays(subscribed({ status: "trialing", cancelAt: new Date(NOW.getTime() - HOUR_MS) }), [spend(1200)]);
      expect(cancelAtPast.outcomes).toMatchObject([{ result: { applied: true } }]);
    });

    it("the user's own cap applies when it is the tighter one; Free's (£100.00) with no subscription", async () => {
      const own = async (userId: string) => {
        await subscribed({ status: "active" })(userId);
        await db().$transaction((tx) => setWalletLimits(tx, { userId, currency: "GBP", spendLimitMinor: 800, lowBalanceThresholdMinor: null, now: NOW }));
      };
      const { outcomes } = await bothWays(own, [spend(900)]);
      expect(outcomes).toMatchObject([{ refused: { details: { limitMinor: 800, setBy: "you" } } }]);
      const free = await bothWays((userId) => topUp(userId, 20_000), [spend(10_001)]); // £200.00, spend £100.01
      expect(free.outcomes).toMatchObject([{ refused: { details: { limitMinor: 10_000, setBy: "plan" } } }]);
    });
  });

  describe("the low-balance alert", () => {
    const withThreshold = (thresholdMinor: number, walletFields: { lowBalanceEmailedAt?: Date; lowBalanceAlertedAt?: Date } = {}) => async (userId: string) => {
      await topUp(userId, 1000); // £10.00
      await db().$transaction((tx) => setWalletLimits(tx, { userId, currency: "GBP", spendLimitMinor: null, lowBalanceThresholdMinor: thresholdMinor, now: NOW }));
      if (Object.keys(walletFields).length > 0) await db().wallet.update({ where: { id: (await walletOf(userId)).id }, data: walletFields });
    };

    it("a crossing sets the alert and queues one email to a verified owner; further spends below send nothing", async () => {
      const { outcomes, rows } = await bothWays(withThreshold(500), [spend(600), spend(100)]);
      expect(outcomes).toMatchObject([{ result: { emailQueued: true } }, { result: { emailQueued: false } }]);
      expect(rows.wallet).toMatchObject({ lowBalanceAlertedAt: NOW, lowBalanceEmailedAt: NOW });
      expect(rows.outbox).toEqual([{ key: "low_balance:<wallet>:<entry 1>", kind: "low_balance", payload: { thresholdMinor: 500, availableMinor: 400, currency: "GBP" }, attempts: 0, sentAt: null }]);
    });

    it("an unverified owner gets the banner and no email", async () => {
      const { rows } = await bothWays(withThreshold(500), [spend(600)], { verified: false });
      expect(rows.wallet).toMatchObject({ lowBalanceAlertedAt: NOW, lowBalanceEmailedAt: null });
      expect(rows.outbox).toEqual([]);
    });

    it("emails at most once in 24 hours", async () => {
      const recent = await bothWays(withThreshold(500, { lowBalanceEmailedAt: new Date(NOW.getTime() - 23 * HOUR_MS) }), [spend(600)]);
      expect(recent.rows.outbox).toEqual([]);
      expect(recent.rows.wallet).toMatchObject({ lowBalanceAlertedAt: NOW });
      const dayAgo = await bothWays(withThreshold(500, { lowBalanceEmailedAt: new Date(NOW.getTime() - DAY_MS) }), [spend(600)]);
      expect(dayAgo.rows.outbox).toHaveLength(1);
    });

    it("a spend that leaves the money at or above the threshold clears a stale alert", async () => {
      const { rows } = await bothWays(withThreshold(500, { lowBalanceAlertedAt: new Date(NOW.getTime() - DAY_MS) }), [spend(500)]);
      expect(rows.wallet).toMatchObject({ lowBalanceAlertedAt: null });
    });
  });

  describe("auto-recharge", () => {
    const withAutoRecharge = (earlier: Array<{ amountMinor: number; status: "pending" | "processing" | "succeeded" | "failed" }> = [], settings: { targetMinor?: number } = {}) => async (userId: string) => {
      await topUp(userId, 1000); // £10.00
      const wallet = await walletOf(userId);
      await db().autoRecharge.create({ data: { walletId: wallet.id, enabled: true, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 10_000, paymentMethodId: "pm_test_card", ...settings } });
      for (const recharge of earlier) {
        const purchase = await db().purchase.create({ data: { userId, packKey: "auto_recharge", amountMinor: recharge.amountMinor, currency: "GBP", status: "paid" } });
        await db().recharge.create({ data: { walletId: wallet.id, purchaseId: purchase.id, amountMinor: recharge.amountMinor, currency: "GBP", periodStart: new Date("2031-03-01T00:00:00.000Z"), status: recharge.status } });
      }
    };

    it("queues a recharge up to the target when spending crosses the threshold", async () => {
      const { outcomes, rows } = await bothWays(withAutoRecharge(), [spend(600)], { rollBack: true });
      expect(outcomes).toMatchObject([{ result: { rechargeQueued: true } }]);
      expect(rows.recharges).toMatchObject([{ amountMinor: 1600, status: "pending", purchase: { packKey: "auto_recharge", amountMinor: 1600, status: "processing" } }]);
    });

    it("queues none while one is in flight", async () => {
      const { rows } = await bothWays(withAutoRecharge([{ amountMinor: 1000, status: "processing" }]), [spend(600)], { rollBack: true });
      expect(rows.recharges).toHaveLength(1);
    });

    it("queues only what is left of the month's cap, and none when that is under the minimum charge", async () => {
      const capped = await bothWays(withAutoRecharge([{ amountMinor: 9000, status: "succeeded" }, { amountMinor: 5000, status: "failed" }]), [spend(600)], { rollBack: true });
      expect(capped.rows.recharges.map((r) => r.amountMinor)).toEqual([1000, 5000, 9000]);
      const spent = await bothWays(withAutoRecharge([{ amountMinor: 9970, status: "succeeded" }]), [spend(600)], { rollBack: true });
      expect(spent.rows.recharges).toHaveLength(1);
      expect(spent.outcomes).toMatchObject([{ result: { rechargeQueued: false } }]);
    });

    it("queues none when the charge would be under the minimum", async () => {
      const { rows } = await bothWays(withAutoRecharge([], { targetMinor: 520 }), [spend(510)], { rollBack: true }); // £4.90 left, £0.30 to the target
      expect(rows.recharges).toEqual([]);
    });
  });

  it("draws from grants in spend order: priority, soonest expiry (never last), oldest, across several spends", async () => {
    const grants = async (userId: string) => {
      await topUp(userId, 1000); // paid, priority 50
      await topUp(userId, 300, { source: "promotional", category: "promotional", priority: 10, expiresAt: null }, "PROMOTIONAL");
      await topUp(userId, 200, { source: "promotional", category: "promotional", priority: 10, expiresAt: new Date("2031-06-01T00:00:00.000Z") }, "PROMOTIONAL");
      await topUp(userId, 100, { source: "promotional", category: "promotional", priority: 10, expiresAt: new Date("2031-04-01T00:00:00.000Z") }, "PROMOTIONAL");
      await topUp(userId, 400, undefined, "ADJUSTMENT"); // priority 30
      await topUp(userId, 700); // paid, newer
    };
    const { rows } = await bothWays(grants, [spend(250), spend(600), spend(900), spend(50)]);
    expect(rows.grants.map((g) => [g.amountMinor, g.remainingMinor])).toEqual([[100, 0], [200, 0], [300, 0], [400, 0], [700, 700], [1000, 200]]);
  });
});
