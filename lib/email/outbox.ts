import { z } from "zod";
import { db, type Tx } from "../core/db";
import { appUrl } from "../core/env";
import { formatDate } from "../core/format";
import { log } from "../core/log";
import { formatMoney } from "../core/money";
import { sendEmail, withPooledTransport, type BatchSender, type EmailMessage } from "./transport";
import { paymentFailedMessage, renewalReceiptMessage, subscriptionCanceledMessage } from "./templates/billing";
import { signUpAttemptMessage } from "./templates/sign-up-attempt";
import { lowBalanceMessage, rechargeFailedMessage } from "./templates/wallet";

// Emails that a committed change owes. The row is written in the change's own transaction and sent
// after it commits, in a batch, by the email worker the commit wakes (./worker.ts), or by the cron
// sweep if that send fails or the process dies or freezes first, so a crash loses no email and the
// unique key never queues one twice. A send that the SMTP server accepted but whose `sentAt` was not
// saved may go out again: at-least-once, the only promise SMTP allows.
//
// The outbox knows no domain. Each sending call takes an EmailRenderer that turns a row into a
// message; renderPlainEmail below renders the kinds whose payload holds all they show, and the kinds
// that read the domain when they are sent (a link's token, a receipt) are rendered above this layer:
// lib/accounts/emails.ts, and lib/payments/receipts/emails.ts, which composes every kind.

const planReceiptPayload = z.object({
  planName: z.string(),
  amountPaidMinor: z.number().int(),
  currency: z.string(),
  invoiceNumber: z.string().nullable(),
  creditGrantedMinor: z.number().int(),
  hostedInvoiceUrl: z.string().nullable(),
});

/** Every kind's payload, checked when it is queued to an address and when it is rendered. */
export const outboxPayloads = {
  payment_failed: z.object({
    planName: z.string(),
    amountDueMinor: z.number().int(),
    currency: z.string(),
    nextAttemptAt: z.string().nullable(),
    hostedInvoiceUrl: z.string().nullable(),
  }),
  // nowPlanKey: the plan in force after an immediate end (rows queued before it was kept: Free).
  subscription_canceled: z.object({ planKey: z.string().nullable(), nowPlanKey: z.string().optional(), endsAt: z.string(), immediate: z.boolean() }),
  renewal_receipt: planReceiptPayload,
  // The receipt for a subscription's first invoice: the same message as a renewal's.
  subscription_receipt: planReceiptPayload,
  // The purchase is read when the email is sent, so the email states what the receipt page states.
  topup_receipt: z.object({ purchaseId: z.string() }),
  low_balance: z.object({ thresholdMinor: z.number().int(), availableMinor: z.number().int(), currency: z.string() }),
  // The reason is the plain sentence lib/payments/purchases/failures.ts gives for Stripe's code.
  recharge_failed: z.object({ amountMinor: z.number().int(), currency: z.string(), reason: z.string() }),
  // Account emails (lib/accounts). A link's token is issued when the email is sent, so no token is
  // ever stored in plain text, and the request that queued the email does no more work for an
  // address with an account than for one without (see queueEmailToAddress).
  verify_email: z.object({ callbackUrl: z.string().nullable() }),
  reset_password: z.object({}),
  sign_up_attempt: z.object({ callbackUrl: z.string().nullable() }),
};

export type OutboxKind = keyof typeof outboxPayloads;
export type OutboxEmail = {
  [K in OutboxKind]: { key: string; userId: string; kind: K; payload: z.input<(typeof outboxPayloads)[K]> };
}[OutboxKind];

/** How many emails each transaction queued, so whoever committed it knows to send them (see emailsQueuedIn). */
const queuedByTransaction = new WeakMap<Tx, number>();

/** Queues an email in the caller's transaction; a key seen before queues nothing. */
export async function enqueueEmail(tx: Tx, email: OutboxEmail): Promise<void> {
  const { count } = await tx.emailOutbox.createMany({ data: [{ key: email.key, userId: email.userId, kind: email.kind, payload: email.payload }], skipDuplicates: true });
  queuedByTransaction.set(tx, (queuedByTransaction.get(tx) ?? 0) + count);
}

/** How many emails this transaction has queued so far (a key seen before counts nothing). */
export function emailsQueuedIn(tx: Tx): number {
  return queuedByTransaction.get(tx) ?? 0;
}

/**
 * Queues an email to the account at `address`, if there is one, and returns the row's id (null when
 * no account has the address). One statement either way, so the time it takes does not tell whether
 * the address has an account. The row is claimed by the caller, who sends it with sendClaimedEmail;
 * if that send fails or the process dies, the cron sweep takes the row over once the claim is stale.
 */
export async function queueEmailToAddress<K extends AccountEmailKind>(
  address: string,
  email: { kind: K; payload: z.input<(typeof outboxPayloads)[K]> },
): Promise<string | null> {
  const payload = JSON.stringify(outboxPayloads[email.kind].parse(email.payload));
  // The commit does not wait for the disk: waiting for the WAL flush makes writing the row take
  // milliseconds longer than writing nothing, which is enough to tell the two answers apart. The
  // price: if PostgreSQL itself crashes within a second of the commit, the email is lost and the
  // person asks again.
  const [, rows] = await db().$transaction([
    db().$executeRaw`SET LOCAL synchronous_commit = off`,
    db().$queryRaw<Array<{ id: string }>>`
      INSERT INTO "EmailOutbox" ("id", "key", "userId", "kind", "payload", "attempts", "claimedAt")
      SELECT gen_random_uuid()::text, ${email.kind} || ':' || gen_random_uuid()::text, "id", ${email.kind}, ${payload}::jsonb, 1, now()
      FROM "User" WHERE "email" = ${address}
      RETURNING "id"`,
  ]);
  return rows[0]?.id ?? null;
}

type AccountEmailKind = "verify_email" | "reset_password" | "sign_up_attempt";

const MAX_ATTEMPTS = 8;
const CLAIM_TIMEOUT_MINUTES = 5;

/** Turns a claimed row into the message to send; null for a kind it does not know (logged, not sent). */
export type EmailRenderer = (kind: string, payload: unknown, user: { id: string; email: string }) => Promise<EmailMessage | null>;

/** An absolute link into the app with these query parameters (a null one is left out). */
export function emailLink(path: string, params: Record<string, string | null> = {}): string {
  const url = new URL(path, `${appUrl()}/`);
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  return url.toString();
}

/** Renders the kinds whose payload holds all they show (plans are read by key); null for any other kind. */
export const renderPlainEmail: EmailRenderer = async (kind, rawPayload, user) => {
  const to = user.email;
  const billingUrl = `${appUrl()}/billing`;
  switch (kind) {
    case "sign_up_attempt": {
      const p = outboxPayloads.sign_up_attempt.parse(rawPayload);
      return signUpAttemptMessage({ to, signInUrl: emailLink("/signin", { callbackUrl: p.callbackUrl }), resetUrl: emailLink("/forgot-password") });
    }
    case "payment_failed": {
      const p = outboxPayloads.payment_failed.parse(rawPayload);
      return paymentFailedMessage({
        to,
        planName: p.planName,
        amountDue: formatMoney(p.amountDueMinor, p.currency),
        nextAttempt: p.nextAttemptAt ? formatDate(new Date(p.nextAttemptAt)) : null,
        fixUrl: `${appUrl()}/billing/portal`,
        invoiceUrl: p.hostedInvoiceUrl,
      });
    }
    case "subscription_canceled": {
      const p = outboxPayloads.subscription_canceled.parse(rawPayload);
      const plan = p.planKey ? await db().plan.findUnique({ where: { key: p.planKey } }) : null;
      const nowPlan = p.nowPlanKey ? await db().plan.findUnique({ where: { key: p.nowPlanKey } }) : null;
      return subscriptionCanceledMessage({
        to,
        planName: plan?.name ?? "paid",
        nowPlanName: nowPlan?.name ?? "Free",
        endsOn: formatDate(new Date(p.endsAt)),
        immediate: p.immediate,
        billingUrl,
      });
    }
    case "renewal_receipt":
    case "subscription_receipt": {
      const p = planReceiptPayload.parse(rawPayload);
      return renewalReceiptMessage({
        to,
        planName: p.planName,
        amountPaid: formatMoney(p.amountPaidMinor, p.currency),
        invoiceNumber: p.invoiceNumber,
        creditGranted: p.creditGrantedMinor > 0 ? formatMoney(p.creditGrantedMinor, p.currency) : null,
        invoiceUrl: p.hostedInvoiceUrl,
        billingUrl,
      });
    }
    case "low_balance": {
      const p = outboxPayloads.low_balance.parse(rawPayload);
      return lowBalanceMessage({
        to,
        available: formatMoney(p.availableMinor, p.currency),
        threshold: formatMoney(p.thresholdMinor, p.currency),
        walletUrl: `${appUrl()}/wallet`,
      });
    }
    case "recharge_failed": {
      const p = outboxPayloads.recharge_failed.parse(rawPayload);
      return rechargeFailedMessage({ to, amount: formatMoney(p.amountMinor, p.currency), reason: p.reason, fixUrl: `${appUrl()}/wallet#auto-recharge` });
    }
    default:
      return null;
  }
};

/** A row claimed for sending: what a batch renderer prepares for. */
export interface ClaimedEmail {
  id: string;
  userId: string;
  kind: string;
  payload: unknown;
}

/**
 * Reads, once for a whole batch, what rendering its rows needs beyond their payloads (the top-up
 * receipts' purchases), and returns the renderer for that batch: one query per batch, not per email.
 */
export type BatchEmailRenderer = (rows: readonly ClaimedEmail[]) => Promise<EmailRenderer>;

/** A renderer that needs nothing read ahead, as a batch renderer. */
export function batchOf(render: EmailRenderer): BatchEmailRenderer {
  return async () => render;
}

/**
 * Sends up to `limit` queued emails (oldest first) as one batch, over one pooled SMTP connection,
 * and returns how many were claimed, sent and failed. Safe to run from several processes at once.
 */
export async function deliverQueuedEmails(render: BatchEmailRenderer, { limit = 50 }: { limit?: number } = {}): Promise<EmailBatchResult> {
  return withPooledTransport((send) => deliverEmailBatch(render, send, limit));
}

export interface EmailBatchResult {
  claimed: number;
  sent: number;
  failed: number;
}

/**
 * One batch: claim up to `limit` rows in one statement (SKIP LOCKED, so each row is one sender's),
 * read their users in one query, let the renderer read what it needs in one more, send each message
 * (awaiting `betweenMessages` between them, so a server's requests go first), then record the
 * outcomes: the sent rows in one statement, the failed ones (kept queued with their error, for the
 * next batch or the cron sweep) in another. If the process dies mid-batch the rows are taken over
 * once their claim is stale, and those already accepted by SMTP go out again: at-least-once.
 */
export async function deliverEmailBatch(
  render: BatchEmailRenderer,
  send: BatchSender,
  limit: number,
  /** Awaited between messages; by default a turn of the event loop. */
  betweenMessages: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
): Promise<EmailBatchResult> {
  const claimed = await db().$queryRaw<ClaimedEmail[]>`
    UPDATE "EmailOutbox" SET "claimedAt" = now(), "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "EmailOutbox"
      WHERE "sentAt" IS NULL AND "attempts" < ${MAX_ATTEMPTS}
        AND ("claimedAt" IS NULL OR "claimedAt" < now() - make_interval(mins => ${CLAIM_TIMEOUT_MINUTES}))
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "userId", "kind", "payload"`;
  if (claimed.length === 0) return { claimed: 0, sent: 0, failed: 0 };
  return { claimed: claimed.length, ...(await sendClaimedRows(claimed, render, send, betweenMessages)) };
}

/**
 * Sends rows this process has claimed: their users read in one query, the renderer's own reads in
 * one more, each message sent (awaiting `betweenMessages` after it), then the outcomes recorded:
 * the sent rows in one statement, the failed ones (kept queued with their error) in another.
 */
async function sendClaimedRows(
  claimed: readonly ClaimedEmail[],
  render: BatchEmailRenderer,
  send: BatchSender,
  betweenMessages: () => Promise<void>,
): Promise<{ sent: number; failed: number }> {
  const sent: string[] = [];
  const failed: Array<{ id: string; error: string }> = [];
  try {
    const users = await db().user.findMany({ where: { id: { in: [...new Set(claimed.map((row) => row.userId))] } }, select: { id: true, email: true } });
    const userById = new Map(users.map((user) => [user.id, user]));
    const renderRow = await render(claimed);
    for (const row of claimed) {
      try {
        const user = userById.get(row.userId);
        if (!user) throw new Error(`no user ${row.userId}`);
        const message = await renderRow(row.kind, row.payload, user);
        if (message) await send(message);
        else log.warn("email_outbox_unknown_kind", { id: row.id, kind: row.kind });
        sent.push(row.id);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error("email_outbox_send_failed", { id: row.id, kind: row.kind, error: message });
        failed.push({ id: row.id, error: message.slice(0, 500) });
      }
      await betweenMessages();
    }
  } catch (error) {
    // The batch's reads failed: nothing was sent, and every row not yet decided keeps its error.
    const message = error instanceof Error ? error.message : String(error);
    log.error("email_outbox_batch_failed", { error: message });
    const decided = new Set([...sent, ...failed.map((row) => row.id)]);
    for (const row of claimed) if (!decided.has(row.id)) failed.push({ id: row.id, error: message.slice(0, 500) });
  }
  if (sent.length > 0) {
    await db().$executeRaw`UPDATE "EmailOutbox" SET "sentAt" = now(), "claimedAt" = NULL, "lastError" = NULL WHERE "id" = ANY(${sent})`;
  }
  if (failed.length > 0) {
    await db().$executeRaw`
      UPDATE "EmailOutbox" SET "claimedAt" = NULL, "lastError" = failed.error
      FROM unnest(${failed.map((row) => row.id)}::text[], ${failed.map((row) => row.error)}::text[]) AS failed(id, error)
      WHERE "EmailOutbox"."id" = failed.id`;
  }
  return { sent: sent.length, failed: failed.length };
}

/**
 * Sends one row that this process claimed (queueEmailToAddress), as a batch of one. Failures are
 * only logged: the row stays queued for the cron sweep.
 */
export async function sendClaimedEmail(id: string, render: EmailRenderer): Promise<void> {
  try {
    const row = await db().emailOutbox.findUnique({ where: { id }, select: { id: true, userId: true, kind: true, payload: true, sentAt: true } });
    if (row && !row.sentAt) await sendClaimedRows([row], batchOf(render), sendEmail, async () => undefined);
  } catch (error) {
    log.error("email_outbox_delivery_failed", { error: error instanceof Error ? error.message : String(error) });
  }
}
