import { z } from "zod";
import { db, type Tx } from "../db";
import { appUrl } from "../env";
import { formatDate } from "../format";
import { log } from "../log";
import { formatMoney } from "../money";
import { sendEmail, type EmailMessage } from "./index";
import { paymentFailedMessage, renewalReceiptMessage, subscriptionCanceledMessage } from "./templates/billing";
import { topUpReceiptMessage } from "./templates/receipt";
import { lowBalanceMessage, rechargeFailedMessage } from "./templates/wallet";
import { businessDetails } from "../receipts/business";
import { receiptPath, topUpLabel } from "../receipts/describe";

// Emails that a committed change owes. The row is written in the change's own transaction and sent
// after it commits (and by the cron sweep if that send fails or the process dies), so a crash loses
// no email and the unique key never queues one twice. A send that the SMTP server accepted but whose
// `sentAt` was not saved may go out again: at-least-once, the only promise SMTP allows.

const payloads = {
  payment_failed: z.object({
    planName: z.string(),
    amountDueMinor: z.number().int(),
    currency: z.string(),
    nextAttemptAt: z.string().nullable(),
    hostedInvoiceUrl: z.string().nullable(),
  }),
  subscription_canceled: z.object({ planKey: z.string().nullable(), endsAt: z.string(), immediate: z.boolean() }),
  renewal_receipt: z.object({
    planName: z.string(),
    amountPaidMinor: z.number().int(),
    currency: z.string(),
    invoiceNumber: z.string().nullable(),
    creditGrantedMinor: z.number().int(),
    hostedInvoiceUrl: z.string().nullable(),
  }),
  // The purchase is read when the email is sent, so the email states what the receipt page states.
  topup_receipt: z.object({ purchaseId: z.string() }),
  low_balance: z.object({ thresholdMinor: z.number().int(), availableMinor: z.number().int(), currency: z.string() }),
  // The reason is the plain sentence lib/purchases/failures.ts gives for Stripe's code.
  recharge_failed: z.object({ amountMinor: z.number().int(), currency: z.string(), reason: z.string() }),
};

export type OutboxKind = keyof typeof payloads;
export type OutboxEmail = {
  [K in OutboxKind]: { key: string; userId: string; kind: K; payload: z.input<(typeof payloads)[K]> };
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

const MAX_ATTEMPTS = 8;
const CLAIM_TIMEOUT_MINUTES = 5;

async function messageFor(kind: string, rawPayload: unknown, to: string): Promise<EmailMessage | null> {
  const billingUrl = `${appUrl()}/billing`;
  switch (kind) {
    case "payment_failed": {
      const p = payloads.payment_failed.parse(rawPayload);
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
      const p = payloads.subscription_canceled.parse(rawPayload);
      const plan = p.planKey ? await db().plan.findUnique({ where: { key: p.planKey } }) : null;
      return subscriptionCanceledMessage({ to, planName: plan?.name ?? "paid", endsOn: formatDate(new Date(p.endsAt)), immediate: p.immediate, billingUrl });
    }
    case "renewal_receipt": {
      const p = payloads.renewal_receipt.parse(rawPayload);
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
    case "topup_receipt": {
      const p = payloads.topup_receipt.parse(rawPayload);
      const purchase = await db().purchase.findUnique({ where: { id: p.purchaseId } });
      if (!purchase?.paidAt) return null;
      return topUpReceiptMessage({
        to,
        businessName: businessDetails().name,
        amount: formatMoney(purchase.amountMinor, purchase.currency),
        description: topUpLabel(purchase.packKey),
        paidOn: formatDate(purchase.paidAt),
        reference: purchase.paymentIntentId ?? purchase.checkoutSessionId,
        purchaseId: purchase.id,
        receiptUrl: `${appUrl()}${receiptPath(purchase.id)}`,
      });
    }
    case "low_balance": {
      const p = payloads.low_balance.parse(rawPayload);
      return lowBalanceMessage({
        to,
        available: formatMoney(p.availableMinor, p.currency),
        threshold: formatMoney(p.thresholdMinor, p.currency),
        walletUrl: `${appUrl()}/wallet`,
      });
    }
    case "recharge_failed": {
      const p = payloads.recharge_failed.parse(rawPayload);
      return rechargeFailedMessage({ to, amount: formatMoney(p.amountMinor, p.currency), reason: p.reason, fixUrl: `${appUrl()}/wallet#auto-recharge` });
    }
    default:
      return null;
  }
}

/**
 * Sends what is queued, right after the commit that queued it. A failure is only logged: the rows
 * stay queued for the cron sweep, and the change that owed them is already committed.
 */
export async function sendQueuedEmailsNow(): Promise<void> {
  try {
    await deliverQueuedEmails();
  } catch (error) {
    log.error("email_outbox_delivery_failed", { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Sends queued emails (oldest first) and returns how many went out. Safe to run from several processes at once. */
export async function deliverQueuedEmails({ limit = 20 }: { limit?: number } = {}): Promise<{ sent: number; failed: number }> {
  const claimed = await db().$queryRaw<Array<{ id: string; userId: string; kind: string; payload: unknown }>>`
    UPDATE "EmailOutbox" SET "claimedAt" = now(), "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "EmailOutbox"
      WHERE "sentAt" IS NULL AND "attempts" < ${MAX_ATTEMPTS}
        AND ("claimedAt" IS NULL OR "claimedAt" < now() - make_interval(mins => ${CLAIM_TIMEOUT_MINUTES}))
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "userId", "kind", "payload"`;
  let sent = 0;
  let failed = 0;
  for (const row of claimed) {
    try {
      const user = await db().user.findUniqueOrThrow({ where: { id: row.userId } });
      const message = await messageFor(row.kind, row.payload, user.email);
      if (message) await sendEmail(message);
      else log.warn("email_outbox_unknown_kind", { id: row.id, kind: row.kind });
      await db().emailOutbox.update({ where: { id: row.id }, data: { sentAt: new Date(), claimedAt: null, lastError: null } });
      sent++;
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      log.error("email_outbox_send_failed", { id: row.id, kind: row.kind, error: message });
      await db().emailOutbox.update({ where: { id: row.id }, data: { claimedAt: null, lastError: message.slice(0, 500) } });
    }
  }
  return { sent, failed };
}
