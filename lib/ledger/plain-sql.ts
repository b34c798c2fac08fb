import type pg from "pg";
import { assertAmount, type CreditType } from "./ledger";

// The ledger's credit for the webhook fast path, on a plain `pg` connection inside the caller's
// transaction. It writes the same rows as credit() in ./ledger.ts, in one statement instead of
// five Prisma calls: the wallet UPDATE takes the row lock and returns the new balance, which the
// entry records as balanceAfterMinor, so concurrent credits to one wallet still queue up and the
// balance stays the sum of the entries.
//
// It does not look for an existing entry first: a second credit under the same idempotency key
// fails on the unique constraint and the caller's transaction rolls back whole. The fast path
// relies on that and takes the general path instead (see lib/webhooks/fast-path.ts).

export interface PlainSqlCredit {
  userId: string;
  currency: string;
  amountMinor: number;
  type: CreditType;
  idempotencyKey: string;
  stripeObjectId: string | null;
  description: string | null;
}

const CREDIT_EXISTING_WALLET = `
  WITH wallet AS (
    UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + $3, "updatedAt" = now()
    WHERE "userId" = $1 AND "currency" = $2
    RETURNING "id", "balanceMinor")
  INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "stripeObjectId", "description", "createdAt")
  SELECT gen_random_uuid()::text, wallet."id", $4::"LedgerEntryType", $3, wallet."balanceMinor", $5, $6, $7, now() FROM wallet
  RETURNING "id", "balanceAfterMinor"`;

const CREATE_WALLET = `
  INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "createdAt", "updatedAt")
  VALUES (gen_random_uuid()::text, $1, $2, 0, now(), now())
  ON CONFLICT ("userId", "currency") DO NOTHING`;

export interface PlainSqlCreditResult {
  entryId: string;
  balanceAfterMinor: number;
}

/** Credits the wallet (creating it on a user's first credit) and returns the new entry. */
export async function creditWithPlainSql(client: pg.ClientBase, credit: PlainSqlCredit): Promise<PlainSqlCreditResult> {
  assertAmount(credit.amountMinor);
  const values = [credit.userId, credit.currency, credit.amountMinor, credit.type, credit.idempotencyKey, credit.stripeObjectId, credit.description];
  let entry = await creditExistingWallet(client, values);
  if (!entry) {
    await client.query({ name: "ledger_create_wallet", text: CREATE_WALLET, values: [credit.userId, credit.currency] });
    entry = await creditExistingWallet(client, values);
  }
  if (!entry) throw new Error(`wallet for ${credit.userId}/${credit.currency} vanished while credited`);
  return entry;
}

async function creditExistingWallet(client: pg.ClientBase, values: unknown[]): Promise<PlainSqlCreditResult | undefined> {
  const result = await client.query<{ id: string; balanceAfterMinor: number }>({ name: "ledger_credit", text: CREDIT_EXISTING_WALLET, values });
  const row = result.rows[0];
  return row && { entryId: row.id, balanceAfterMinor: row.balanceAfterMinor };
}
