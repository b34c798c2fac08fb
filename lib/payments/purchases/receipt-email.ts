import type { Purchase } from "../../generated/prisma/client";
import type { Tx } from "../../core/db";
import { enqueueEmail } from "../../email";

// The receipt email of a top-up: queued in the transaction that credits it, only when that credit was
// newly applied, under a key of the purchase's own, so no replay or second payment event queues it
// twice. The webhook fast path (lib/payments/purchases/one-statement-settlement.ts) writes the same row in SQL.

export const TOPUP_RECEIPT_KIND = "topup_receipt";

export function topUpReceiptKey(purchaseId: string): string {
  return `topup-receipt:${purchaseId}`;
}

/** Queues the top-up's receipt email in the caller's transaction (sent after it commits; see lib/email/outbox). */
export async function queueTopUpReceipt(tx: Tx, purchase: Pick<Purchase, "id" | "userId">): Promise<void> {
  await enqueueEmail(tx, { key: topUpReceiptKey(purchase.id), userId: purchase.userId, kind: TOPUP_RECEIPT_KIND, payload: { purchaseId: purchase.id } });
}
