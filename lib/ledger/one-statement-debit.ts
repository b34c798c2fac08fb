import { pgPool } from "../core/db";
import { InsufficientFundsError, NegativeBalanceError, SpendLimitError } from "../core/errors";
import { SqlParameters } from "../core/sql-parameters";
import { RECHARGE_PACK_KEY } from "./labels";
import { assertAmount } from "./ledger";
import { usagePeriod } from "./periods";
import { MIN_RECHARGE_MINOR } from "./thresholds";

// A USAGE debit in ONE autocommit statement on a plain `pg` connection: the spend route's cost was
// its round trips (the plan read, the lock, the key check, the entry, the wallet, each grant draw,
// the alert, the recharge: 13 statements and 5 commits a spend), not the work itself. The function
// ledger_usage_debit (prisma/migrations/20261207200000_usage_debit_function) does what debit() does
// for a USAGE entry in ./ledger.ts, in the same order under the same wallet lock, and reads the
// effective plan's monthly cap after taking that lock, not before it. ./one-statement-debit.test.ts
// holds it to debit() row for row: entries, balance, usage counters, grants and draws, the alert,
// the outbox, recharges.
//
// Reservation commits and the other debit types still go through debit(): a commit also releases
// its hold and is checked against what the reservation set aside, which this function does not do.

/** What the statement needs to read the user's plan itself: lib/billing's rules, as plain values. */
export interface PlanCapTerms {
  freePlanKey: string;
  /** The catalog Free plan's monthly cap, for when the Plan table has no Free row yet; null: none. */
  catalogFreeLimitMinor: number | null;
  pastDueGraceDays: number;
}

export interface UsageDebitOptions {
  userId: string;
  currency: string;
  /** Always positive. */
  amountMinor: number;
  idempotencyKey: string;
  description: string;
  plan: PlanCapTerms;
  now?: Date;
}

export interface UsageDebitResult {
  /** The entry written now, or the one the key wrote before (`applied` false): compare its amount. */
  entry: { id: string; amountMinor: number; balanceAfterMinor: number };
  applied: boolean;
  /** A low-balance email went into the outbox: send it after the answer (the cron sweep is the backstop). */
  emailQueued: boolean;
  /** A recharge was queued: start it after the answer (the credit sweep is the backstop). */
  rechargeQueued: boolean;
}

interface UsageDebitRow {
  outcome: "applied" | "replayed" | "refused";
  entryId: string | null;
  entryAmountMinor: number | null;
  /** The balance after the entry; for a negative_balance refusal, the balance that refused it. */
  balanceMinor: number | null;
  refusal: "negative_balance" | "insufficient_funds" | "spend_limit" | null;
  availableMinor: number | null;
  limitMinor: number | null;
  committedMinor: number | null;
  limitSetBy: "plan" | "you" | null;
  emailQueued: boolean;
  rechargeQueued: boolean;
}

/** Runs one statement and returns its rows: on pgPool() in autocommit, or in a caller's transaction (a test that rolls back). */
export type RunStatement = <Row>(text: string, values: unknown[]) => Promise<Row[]>;

const onPool: RunStatement = async (text, values) => (await pgPool().query(text, values)).rows;

/**
 * Debits the user's wallet for usage once per idempotency key, in one statement. Throws
 * NegativeBalanceError, InsufficientFundsError or SpendLimitError as debit() does; a refusal writes nothing.
 */
export async function usageDebitInOneStatement(options: UsageDebitOptions, run: RunStatement = onPool): Promise<UsageDebitResult> {
  assertAmount(options.amountMinor);
  const now = options.now ?? new Date();
  const params = new SqlParameters();
  const args = [
    `${params.add(options.userId)}::text`,
    `${params.add(options.currency)}::text`,
    `${params.add(options.amountMinor)}::int`,
    `${params.add(options.idempotencyKey)}::text`,
    `${params.add(options.description)}::text`,
    `${params.add(now.toISOString())}::timestamp(3)`,
    `${params.add(options.plan.freePlanKey)}::text`,
    `${params.add(options.plan.catalogFreeLimitMinor)}::int`,
    `${params.add(options.plan.pastDueGraceDays)}::int`,
    `${params.add(RECHARGE_PACK_KEY)}::text`,
    `${params.add(MIN_RECHARGE_MINOR)}::int`,
  ];
  const rows = await run<UsageDebitRow>(`SELECT * FROM "ledger_usage_debit"(${args.join(", ")})`, params.values);
  const row = rows[0];
  if (!row) throw new Error("ledger_usage_debit returned no row");
  return resultOf(row, options.currency, now);
}

function resultOf(row: UsageDebitRow, currency: string, now: Date): UsageDebitResult {
  if (row.outcome === "refused") {
    switch (row.refusal) {
      case "negative_balance":
        throw new NegativeBalanceError(figure(row.balanceMinor), currency);
      case "insufficient_funds":
        throw new InsufficientFundsError(figure(row.availableMinor), currency);
      case "spend_limit":
        throw new SpendLimitError(figure(row.limitMinor), figure(row.committedMinor), currency, usagePeriod(now).resetsAt, row.limitSetBy ?? "plan");
      default:
        throw new Error(`ledger_usage_debit refused without saying why (${String(row.refusal)})`);
    }
  }
  if (row.entryId === null) throw new Error(`ledger_usage_debit ${row.outcome} without an entry`);
  return {
    entry: { id: row.entryId, amountMinor: figure(row.entryAmountMinor), balanceAfterMinor: figure(row.balanceMinor) },
    applied: row.outcome === "applied",
    emailQueued: row.emailQueued,
    rechargeQueued: row.rechargeQueued,
  };
}

function figure(value: number | null): number {
  if (value === null) throw new Error("ledger_usage_debit left out a figure its outcome has");
  return value;
}
