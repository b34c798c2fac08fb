"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adjustWallet, getRefundTarget, parseAdjustmentAmount, refundTopUp } from "@/lib/admin";
import { AppError, InsufficientFundsError, NotFoundError } from "@/lib/core/errors";
import { adminAction, fieldErrorState } from "@/lib/accounts";
import { adminReasonField, formRequestKey } from "@/lib/core/forms";
import { afterResponse } from "@/lib/core/http/after-response";
import { startPendingRecharges } from "@/lib/payments/recharges";
import { formatMoney } from "@/lib/core/money";

// The admin console's forms on /admin/users/[id]: a manual adjustment and a refund. Each form carries
// a request key made when it rendered, so submitting the same form twice acts once.

const adjustmentForm = z.object({
  userId: z.string().min(1).max(64),
  currency: z.string().regex(/^[A-Z]{3}$/),
  direction: z.enum(["credit", "debit"], "Choose credit or debit."),
  amount: z.string().trim().min(1, "Enter an amount.").max(20),
  reason: adminReasonField,
  requestKey: formRequestKey,
});

// Credit or debit a user's wallet with a reason; audited, and once per form.
export const adjustWalletAction = adminAction(
  adjustmentForm,
  async (fields, admin) => {
    const values = { currency: fields.currency, direction: fields.direction, amount: fields.amount, reason: fields.reason };
    let amountMinor = 0;
    try {
      amountMinor = parseAdjustmentAmount(fields.amount, fields.currency);
      const result = await adjustWallet(admin, { ...fields, amountMinor });
      // A debit that took the user below their auto-recharge threshold queued a recharge: charge it after the answer.
      if (result.applied && fields.direction === "debit") await afterResponse(() => startPendingRecharges({ userId: fields.userId }));
      revalidatePath(`/admin/users/${fields.userId}`);
      const amount = formatMoney(amountMinor, fields.currency);
      const balance = formatMoney(result.balanceMinor, fields.currency);
      return {
        message: result.applied
          ? `${fields.direction === "credit" ? "Credited" : "Debited"} ${amount}. The balance is now ${balance}.`
          : `This adjustment was already applied. The balance is ${balance}.`,
      };
    } catch (error) {
      if (error instanceof InsufficientFundsError) {
        const balanceMinor = Number(error.details?.balanceMinor ?? 0);
        return {
          error: `A debit of ${formatMoney(amountMinor, fields.currency)} would take the wallet below zero (balance ${formatMoney(balanceMinor, fields.currency)}). Nothing was changed.`,
          code: error.code,
          fieldErrors: { amount: ["More than the balance."] },
          values,
        };
      }
      const mapped = fieldErrorState(error, values, "amount");
      if (mapped) return mapped;
      throw error;
    }
  },
  { returnTo: "/admin/users", failureMessage: "The adjustment could not be made. Nothing was changed." },
);

const refundForm = z.object({
  purchaseId: z.string().min(1).max(64),
  amount: z.string().trim().min(1, "Enter an amount.").max(20),
  reason: adminReasonField,
  requestKey: formRequestKey,
  // A checkbox: present ("on") when ticked.
  beyondUnspent: z.literal("on").optional(),
});

// Ask Stripe to refund (part of) a paid top-up; the wallet follows when Stripe's events arrive.
export const refundTopUpAction = adminAction(
  refundForm,
  async (fields, admin) => {
    const values = { amount: fields.amount, reason: fields.reason, ...(fields.beyondUnspent ? { beyondUnspent: "on" } : {}) };
    const purchase = await getRefundTarget(fields.purchaseId);
    if (!purchase) throw new NotFoundError("No such purchase.");
    try {
      const amountMinor = parseAdjustmentAmount(fields.amount, purchase.currency);
      const { refund, replayed, currency } = await refundTopUp(admin, {
        purchaseId: fields.purchaseId,
        amountMinor,
        reason: fields.reason,
        requestKey: fields.requestKey,
        beyondUnspent: fields.beyondUnspent === "on",
      });
      revalidatePath(`/admin/users/${purchase.userId}`);
      const amount = formatMoney(refund.amount, currency);
      return {
        message: replayed
          ? `This refund (${amount}) was already requested; the wallet changes when Stripe confirms it.`
          : `Refund of ${amount} requested; the wallet changes when Stripe confirms it.`,
      };
    } catch (error) {
      const mapped = fieldErrorState(error, values, "amount");
      if (mapped) return mapped;
      if (error instanceof AppError) return { error: error.message, code: error.code, values };
      throw error;
    }
  },
  { returnTo: "/admin/users", failureMessage: "We could not confirm the refund. Submit the same form again: it cannot refund twice." },
);
