import type { Purchase } from "../../generated/prisma/client";
import { db } from "../../core/db";
import { appUrl } from "../../core/env";
import { formatDate } from "../../core/format";
import { formatMoney } from "../../core/money";
import { renderAccountEmail } from "../../accounts";
import * as outbox from "../../email";
import { outboxPayloads, topUpReceiptMessage, type BatchEmailRenderer, type EmailBatchResult, type EmailMessage } from "../../email";
import { receiptPath, topUpLabel, TOPUP_RECEIPT_KIND } from "../purchases";
import { businessDetails } from "./business";

// Every kind of queued email, rendered: the top-up receipt here (the purchase is read when the email
// is sent, so the email states what the receipt page states), the account emails as lib/accounts
// renders them, the rest from their payloads (lib/email). Whoever sends what the outbox holds sends
// it through these: the email worker, woken after a commit, and the cron sweep.

/** The renderer for a batch: the purchases of its top-up receipts are read in one query, for all of them. */
export const renderOutboxBatch: BatchEmailRenderer = async (rows) => {
  const purchaseIds = rows.flatMap((row) => {
    const payload = row.kind === TOPUP_RECEIPT_KIND ? outboxPayloads.topup_receipt.safeParse(row.payload) : null;
    return payload?.success ? [payload.data.purchaseId] : []; // a malformed row fails alone, when it is rendered
  });
  const purchases = purchaseIds.length > 0 ? await db().purchase.findMany({ where: { id: { in: purchaseIds } } }) : [];
  const purchaseById = new Map(purchases.map((purchase) => [purchase.id, purchase]));
  return async (kind, rawPayload, user) => {
    if (kind !== TOPUP_RECEIPT_KIND) return renderAccountEmail(kind, rawPayload, user);
    const purchase = purchaseById.get(outboxPayloads.topup_receipt.parse(rawPayload).purchaseId);
    return purchase ? topUpReceipt(purchase, user.email) : null;
  };
};

function topUpReceipt(purchase: Purchase, to: string): EmailMessage | null {
  if (!purchase.paidAt) return null;
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

/** Sends one batch of queued emails (oldest first), every kind; safe to run from several processes at once. The cron sweep's. */
export function deliverQueuedEmails(options: { limit?: number } = {}): Promise<EmailBatchResult> {
  return outbox.deliverQueuedEmails(renderOutboxBatch, options);
}

/** Wakes the email worker after a commit that queued emails: it sends them shortly, off the request path (lib/email/worker.ts). */
export function wakeEmailWorker(): void {
  outbox.wakeEmailWorker(renderOutboxBatch);
}
