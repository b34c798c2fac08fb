import { db } from "../../core/db";
import { appUrl } from "../../core/env";
import { formatDate } from "../../core/format";
import { formatMoney } from "../../core/money";
import { renderAccountEmail } from "../../accounts";
import * as outbox from "../../email";
import { outboxPayloads, topUpReceiptMessage, type EmailRenderer } from "../../email";
import { receiptPath, topUpLabel } from "../purchases";
import { businessDetails } from "./business";

// Every kind of queued email, rendered: the top-up receipt here (the purchase is read when the email
// is sent, so the email states what the receipt page states), the account emails as lib/accounts
// renders them, the rest from their payloads (lib/email). Whoever sends what the outbox holds sends
// it through these.

export const renderOutboxEmail: EmailRenderer = async (kind, rawPayload, user) => {
  if (kind !== "topup_receipt") return renderAccountEmail(kind, rawPayload, user);
  const p = outboxPayloads.topup_receipt.parse(rawPayload);
  const purchase = await db().purchase.findUnique({ where: { id: p.purchaseId } });
  if (!purchase?.paidAt) return null;
  return topUpReceiptMessage({
    to: user.email,
    businessName: businessDetails().name,
    amount: formatMoney(purchase.amountMinor, purchase.currency),
    description: topUpLabel(purchase.packKey),
    paidOn: formatDate(purchase.paidAt),
    reference: purchase.paymentIntentId ?? purchase.checkoutSessionId,
    purchaseId: purchase.id,
    receiptUrl: `${appUrl()}${receiptPath(purchase.id)}`,
  });
};

/** Sends queued emails (oldest first), every kind; safe to run from several processes at once. */
export function deliverQueuedEmails(options: { limit?: number } = {}): Promise<{ sent: number; failed: number }> {
  return outbox.deliverQueuedEmails(renderOutboxEmail, options);
}

/** Sends what is queued, right after the commit that queued it; a failure stays queued for the cron sweep. */
export function sendQueuedEmailsNow(): Promise<void> {
  return outbox.sendQueuedEmailsNow(renderOutboxEmail);
}
