import type { Tx } from "../../core/db";

// The one step of a recharge that lib/payments/purchases takes: marking it succeeded in the transaction that
// credits its purchase (settlePaidPurchase, from payment_intent.succeeded). A leaf module, so
// lib/payments/purchases can import it without a cycle through the rest of lib/payments/recharges.

/**
 * The recharge of this purchase is paid: succeeded, whatever it was (pending when the charge's answer
 * was lost, processing normally, failed when a late success beat a give-up: the credit is the truth).
 * Idempotent: a replayed event finds it succeeded and changes nothing.
 */
export async function markRechargeSucceeded(tx: Tx, purchaseId: string, paymentIntentId: string | null): Promise<void> {
  const recharge = await tx.recharge.findUnique({ where: { purchaseId }, select: { id: true, status: true, paymentIntentId: true } });
  if (!recharge || recharge.status === "succeeded") return;
  await tx.recharge.update({
    where: { id: recharge.id },
    data: { status: "succeeded", paymentIntentId: recharge.paymentIntentId ?? paymentIntentId, failureCode: null, failureMessage: null },
  });
}
