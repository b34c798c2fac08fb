import { randomBytes } from "node:crypto";
import pg from "pg";
import { plansFor } from "../../lib/billing/catalog";
import { usageKey } from "../../lib/ledger/keys";
import { check, checkLedgerInvariant, type Check } from "./money-check";
import { stripeLikeId } from "./top-up-events";

// The spend benchmark's data: users on the Team plan (no monthly spend limit, so every refusal is
// an overdraft refusal, and Billfold's debit does the same work as the floor's), each with a
// wallet funded through SQL that keeps the ledger invariant (one ADJUSTMENT entry plus the
// balance); and the check that ends the run.

export const SPEND_CURRENCY = "GBP";
const PLAN_KEY = "team";

export interface SpendUser {
  id: string;
  email: string;
  fundedMinor: number;
}

export function makeSpendUsers(fundings: number[]): SpendUser[] {
  return fundings.map((fundedMinor) => {
    const id = `c${randomBytes(12).toString("hex")}`;
    return { id, email: `spend-${id}@example.test`, fundedMinor };
  });
}

export async function seedSpendUsers(databaseUrl: string, users: SpendUser[]): Promise<void> {
  const plan = plansFor(SPEND_CURRENCY).find((candidate) => candidate.key === PLAN_KEY);
  if (!plan || plan.monthlySpendLimitMinor !== null) throw new Error(`the ${PLAN_KEY} plan is missing or has a spend limit`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "Plan" ("key", "name", "stripePriceLookupKey", "monthlyPriceMinor", "currency", "monthlyCreditMinor", "monthlySpendLimitMinor", "features", "sortOrder", "active")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)`,
      [plan.key, plan.name, plan.stripePriceLookupKey, plan.monthlyPriceMinor, plan.currency, plan.monthlyCreditMinor, plan.monthlySpendLimitMinor, plan.features, plan.sortOrder],
    );
    for (const user of users) {
      await client.query(`INSERT INTO "User" ("id", "email", "name", "emailVerified", "updatedAt") VALUES ($1, $2, 'Spend bench user', now(), now())`, [user.id, user.email]);
      await client.query(
        `INSERT INTO "Subscription" ("id", "userId", "stripeCustomerId", "planKey", "status", "currentPeriodStart", "currentPeriodEnd", "stripeCreatedAt", "updatedAt")
         VALUES ($1, $2, $3, $4, 'active', now() - interval '1 day', now() + interval '29 days', now() - interval '1 day', now())`,
        [stripeLikeId("sub", 24), user.id, stripeLikeId("cus", 14), PLAN_KEY],
      );
      const wallet = await client.query<{ id: string }>(
        `INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "updatedAt") VALUES (gen_random_uuid()::text, $1, $2, $3, now()) RETURNING "id"`,
        [user.id, SPEND_CURRENCY, user.fundedMinor],
      );
      // The funding entry and the grant it opens, as lib/ledger's credit() writes them for an ADJUSTMENT.
      await client.query(
        `WITH entry AS (
           INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "description")
           VALUES (gen_random_uuid()::text, $1, 'ADJUSTMENT', $2, $2, $3, 'Spend benchmark funding') RETURNING "id")
         INSERT INTO "CreditGrant" ("id", "walletId", "entryId", "source", "category", "amountMinor", "remainingMinor", "priority")
         SELECT gen_random_uuid()::text, $1, entry."id", 'adjustment', 'promotional', $2, $2, 30 FROM entry`,
        [wallet.rows[0]?.id, user.fundedMinor, `bench-funding:${user.id}`],
      );
    }
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

export interface SentSpend {
  userId: string;
  idempotencyKey: string;
  amountMinor: number;
  /** The HTTP status it got (0: no answer). */
  status: number;
}

/**
 * The ledger invariant and no wallet below zero; each 201 has exactly one USAGE entry under its key
 * and nothing else has one; each wallet's balance is its funding minus its applied debits (no lost
 * update); a wallet that refused a debit (402) really had less than the amount left.
 */
export async function checkSpends(databaseUrl: string, users: SpendUser[], sent: SentSpend[]): Promise<Check[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const entries = (
      await client.query<{ idempotencyKey: string; amountMinor: number }>(`SELECT "idempotencyKey", "amountMinor" FROM "LedgerEntry" WHERE "type" = 'USAGE'`)
    ).rows;
    const entriesByKey = new Map<string, number[]>();
    for (const entry of entries) entriesByKey.set(entry.idempotencyKey, [...(entriesByKey.get(entry.idempotencyKey) ?? []), entry.amountMinor]);
    const applied = sent.filter((spend) => spend.status === 201);
    const appliedWithOneEntry = applied.filter((spend) => {
      const amounts = entriesByKey.get(usageKey(spend.userId, spend.idempotencyKey));
      return amounts?.length === 1 && amounts[0] === -spend.amountMinor;
    }).length;
    const unappliedWithEntry = sent.filter((spend) => spend.status !== 201 && entriesByKey.has(usageKey(spend.userId, spend.idempotencyKey))).length;

    const balances = new Map(
      (await client.query<{ userId: string; balanceMinor: number }>(`SELECT "userId", "balanceMinor" FROM "Wallet" WHERE "currency" = $1`, [SPEND_CURRENCY])).rows.map((row) => [row.userId, row.balanceMinor]),
    );
    let lostUpdates = 0;
    let spuriousRefusals = 0;
    for (const user of users) {
      const own = sent.filter((spend) => spend.userId === user.id);
      const debited = own.filter((spend) => spend.status === 201).reduce((sum, spend) => sum + spend.amountMinor, 0);
      const balance = balances.get(user.id);
      if (balance !== user.fundedMinor - debited) lostUpdates += 1;
      const smallestRefused = Math.min(...own.filter((spend) => spend.status === 402).map((spend) => spend.amountMinor));
      if (balance !== undefined && balance >= smallestRefused) spuriousRefusals += 1;
    }
    return [
      ...(await checkLedgerInvariant(client)),
      check(
        "each applied debit (201) has exactly one entry, nothing else has one",
        appliedWithOneEntry === applied.length && unappliedWithEntry === 0 && entries.length === applied.length,
        `${applied.length} applied, ${appliedWithOneEntry} with exactly one entry, ${entries.length} USAGE entries, ${unappliedWithEntry} entries for unapplied requests`,
      ),
      check("no lost update: balance = funding − applied debits", lostUpdates === 0, `${lostUpdates} of ${users.length} wallets off`),
      check("refusals only when the balance was too low", spuriousRefusals === 0, `${spuriousRefusals} wallets refused a debit they could still pay at the end`),
    ];
  } finally {
    await client.end();
  }
}
