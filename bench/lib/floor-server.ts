// The same-work floors: what the work costs with nothing but node:http, the Stripe SDK's
// signature check and plain `pg` (a Pool of 10 connections, as Prisma's pg adapter opens by
// default). Run as its own process (bench/lib/floors.ts forks it), on its own database with
// Billfold's schema. Each is correct, not a strawman: redeliveries are stored once and answered
// 200, a top-up is credited once under the same ledger key Billfold uses (lib/ledger/keys.ts), the
// wallet is created when missing, balanceAfterMinor is the running total, a debit never overdraws.
//   POST /webhook  a signed checkout.session.completed top-up, in ONE transaction: inbox insert
//                  (ON CONFLICT DO NOTHING: a duplicate commits and answers 200), purchase row
//                  lock, wallet lock-or-create with the new balance, ledger entry (unique key),
//                  purchase → paid, event → processed.
//   POST /usage    a debit for the user named in x-bench-user (no session: the floor has no
//                  auth), in one transaction: lock wallet, check balance, insert entry with its
//                  unique key, update balance. 201 applied, 200 replayed key, 402 refused.
import http from "node:http";
import pg from "pg";
import Stripe from "stripe";
import { z } from "zod";
import { serveToParent } from "./serve-to-parent";

const databaseUrl = process.env.DATABASE_URL;
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? "";
if (!databaseUrl) throw new Error("DATABASE_URL is required");
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

type Answer = { status: number; body: unknown };

class Refusal extends Error {
  constructor(readonly answer: Answer) {
    super(`refused with ${answer.status}`);
  }
}

async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Top-up sessions carry our purchase id; anything else is stored as ignored. */
async function receiveWebhook(rawBody: string, signature: string | undefined): Promise<Answer> {
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature ?? "", webhookSecret);
  } catch {
    return { status: 400, body: { error: "invalid_signature" } };
  }
  const session = event.type === "checkout.session.completed" ? event.data.object : null;
  const purchaseId = session?.metadata?.billfoldPurchaseId;
  return inTransaction(async (client) => {
    const stored = await client.query<{ id: string }>(
      `INSERT INTO "WebhookEvent" ("id", "stripeEventId", "type", "payload", "status", "attempts", "receivedAt", "lockedAt")
       VALUES (gen_random_uuid()::text, $1, $2, $3::jsonb, $4, 1, now(), now())
       ON CONFLICT ("stripeEventId") DO NOTHING RETURNING "id"`,
      [event.id, event.type, rawBody, session && purchaseId ? "processing" : "ignored"],
    );
    const eventRowId = stored.rows[0]?.id;
    if (!eventRowId) return { status: 200, body: { received: true, outcome: "duplicate" } };
    if (!session || !purchaseId) return { status: 200, body: { received: true, outcome: "ignored" } };

    const purchases = await client.query<{ id: string; userId: string; amountMinor: number; currency: string; status: string; packKey: string | null }>(
      `SELECT "id", "userId", "amountMinor", "currency", "status", "packKey" FROM "Purchase" WHERE "id" = $1 FOR UPDATE`,
      [purchaseId],
    );
    const purchase = purchases.rows[0];
    if (!purchase) {
      await client.query(`UPDATE "WebhookEvent" SET "status" = 'unmatched', "lockedAt" = NULL, "awaitingReferences" = $2 WHERE "id" = $1`, [eventRowId, [purchaseId, session.id]]);
      return { status: 200, body: { received: true, outcome: "unmatched" } };
    }
    if (session.payment_status !== "paid" || session.amount_total !== purchase.amountMinor || session.currency?.toUpperCase() !== purchase.currency) {
      throw new Error(`session ${session.id} does not pay purchase ${purchase.id} as recorded`);
    }
    const paymentIntentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
    if (purchase.status !== "paid") {
      // Creates the wallet when missing, otherwise locks it and adds the amount: the balance after, in one statement.
      const wallets = await client.query<{ id: string; balanceMinor: number }>(
        `INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "createdAt", "updatedAt")
         VALUES (gen_random_uuid()::text, $1, $2, $3, now(), now())
         ON CONFLICT ("userId", "currency") DO UPDATE SET "balanceMinor" = "Wallet"."balanceMinor" + EXCLUDED."balanceMinor", "updatedAt" = now()
         RETURNING "id", "balanceMinor"`,
        [purchase.userId, purchase.currency, purchase.amountMinor],
      );
      const wallet = wallets.rows[0];
      if (!wallet) throw new Error("wallet upsert returned no row");
      // No ON CONFLICT: under the purchase lock a second TOPUP for a pending purchase cannot exist,
      // and if it somehow did, the unique key rolls the whole transaction back (500, Stripe retries).
      await client.query(
        `INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "stripeObjectId", "description", "createdAt")
         VALUES (gen_random_uuid()::text, $1, 'TOPUP', $2, $3, $4, $5, $6, now())`,
        [wallet.id, purchase.amountMinor, wallet.balanceMinor, `topup:${session.id}`, paymentIntentId ?? session.id, purchase.packKey ? `${purchase.packKey} credit pack` : "Wallet top-up"],
      );
      await client.query(
        `UPDATE "Purchase" SET "status" = 'paid', "failureMessage" = NULL, "paidAt" = COALESCE("paidAt", now()),
           "paymentIntentId" = COALESCE("paymentIntentId", $2), "updatedAt" = now() WHERE "id" = $1`,
        [purchase.id, paymentIntentId],
      );
    }
    await client.query(`UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = now(), "lockedAt" = NULL WHERE "id" = $1`, [eventRowId]);
    return { status: 200, body: { received: true, outcome: "processed" } };
  });
}

// The same limits as Billfold's spendCreditsSchema (lib/validations/wallet.ts).
const spendSchema = z.object({
  amountMinor: z.number().int().positive().max(10_000_000),
  description: z.string().trim().min(1).max(200),
  idempotencyKey: z.string().min(8).max(200),
});

async function spend(rawBody: string, userId: string | undefined): Promise<Answer> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return { status: 422, body: { error: "invalid_json" } };
  }
  const input = spendSchema.safeParse(parsed).data;
  if (!input || !userId) return { status: 422, body: { error: "invalid_request" } };
  const currency = process.env.BILLFOLD_CURRENCY ?? "GBP";
  const key = `usage:${userId}:${input.idempotencyKey}`;
  try {
    return await inTransaction(async (client) => {
      const wallets = await client.query<{ id: string; balanceMinor: number }>(
        `SELECT "id", "balanceMinor" FROM "Wallet" WHERE "userId" = $1 AND "currency" = $2 FOR UPDATE`,
        [userId, currency],
      );
      const wallet = wallets.rows[0];
      if (!wallet || wallet.balanceMinor < input.amountMinor) {
        throw new Refusal({ status: 402, body: { error: { code: "insufficient_funds", balanceMinor: wallet?.balanceMinor ?? 0 } } });
      }
      const balanceAfterMinor = wallet.balanceMinor - input.amountMinor;
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "description", "createdAt")
         VALUES (gen_random_uuid()::text, $1, 'USAGE', $2, $3, $4, $5, now())
         ON CONFLICT ("idempotencyKey") DO NOTHING RETURNING "id"`,
        [wallet.id, -input.amountMinor, balanceAfterMinor, key, input.description],
      );
      const entryId = inserted.rows[0]?.id;
      if (!entryId) throw new Refusal({ status: 200, body: { replayed: true } });
      await client.query(`UPDATE "Wallet" SET "balanceMinor" = $2, "updatedAt" = now() WHERE "id" = $1`, [wallet.id, balanceAfterMinor]);
      // The same grant bookkeeping as lib/ledger (one funding grant per wallet here): the first open
      // grant in spend order gives the money, and the draw is recorded.
      const grant = await client.query<{ id: string }>(
        `UPDATE "CreditGrant" SET "remainingMinor" = "remainingMinor" - $2
         WHERE "id" = (SELECT "id" FROM "CreditGrant" WHERE "walletId" = $1 AND "remainingMinor" >= $2
                       ORDER BY "priority", "expiresAt" NULLS LAST, "createdAt", "id" LIMIT 1)
         RETURNING "id"`,
        [wallet.id, input.amountMinor],
      );
      await client.query(`INSERT INTO "GrantDraw" ("id", "grantId", "entryId", "amountMinor") VALUES (gen_random_uuid()::text, $1, $2, $3)`, [
        grant.rows[0]?.id,
        entryId,
        input.amountMinor,
      ]);
      return { status: 201, body: { entryId, balanceMinor: balanceAfterMinor, currency, replayed: false } };
    });
  } catch (error) {
    if (error instanceof Refusal) return error.answer;
    throw error;
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const handled =
      req.method === "POST" && req.url === "/webhook"
        ? receiveWebhook(rawBody, header("stripe-signature"))
        : req.method === "POST" && req.url === "/usage"
          ? spend(rawBody, header("x-bench-user"))
          : Promise.resolve({ status: 404, body: { error: "not_found" } });
    handled
      .catch((error: unknown) => {
        console.error("floor:", error instanceof Error ? error.message : error);
        return { status: 500, body: { error: "internal" } };
      })
      .then((answer) => {
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(JSON.stringify(answer.body));
      });
  });
});

serveToParent(server, pool);
