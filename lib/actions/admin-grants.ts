"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { parseAdjustmentAmount } from "@/lib/admin";
import { endOfUtcDay, issuePromotionalGrant, voidPromotionalGrant } from "@/lib/admin";
import { adminAction, fieldErrorState } from "@/lib/accounts";
import { adminReasonField, formRequestKey } from "@/lib/core/forms";
import { formatDateTime } from "@/lib/core/format";
import { formatMoney } from "@/lib/core/money";

// The admin console's grant forms on /admin/users/[id]: issue promotional credit (once per form, by
// its request key) and void what is left of a promotional grant. Both audited in lib/admin/grants.ts.

const grantForm = z.object({
  userId: z.string().min(1).max(64),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amount: z.string().trim().min(1, "Enter an amount.").max(20),
  expiresOn: z.string().trim().max(10).optional(),
  priority: z
    .string()
    .trim()
    .regex(/^\d{0,3}$/, "A whole number from 0 to 100.")
    .optional(),
  reason: adminReasonField,
  requestKey: formRequestKey,
});

// Give a user promotional credit, with an optional expiry (end of that day, UTC) and priority.
export const issuePromotionalGrantAction = adminAction(
  grantForm,
  async (fields, admin) => {
    const values = { currency: fields.currency, amount: fields.amount, expiresOn: fields.expiresOn ?? "", priority: fields.priority ?? "", reason: fields.reason };
    try {
      const amountMinor = parseAdjustmentAmount(fields.amount, fields.currency);
      const expiresAt = fields.expiresOn ? endOfUtcDay(fields.expiresOn) : null;
      const priority = fields.priority ? Number(fields.priority) : null;
      const result = await issuePromotionalGrant(admin, { userId: fields.userId, currency: fields.currency, amountMinor, expiresAt, priority, reason: fields.reason, requestKey: fields.requestKey });
      revalidatePath(`/admin/users/${fields.userId}`);
      const amount = formatMoney(amountMinor, fields.currency);
      const expiry = expiresAt ? `, expiring ${formatDateTime(expiresAt)} UTC` : "";
      return {
        message: result.applied
          ? `Granted ${amount} of promotional credit${expiry}. The balance is now ${formatMoney(result.balanceMinor, fields.currency)}.`
          : `This grant was already made. The balance is ${formatMoney(result.balanceMinor, fields.currency)}.`,
      };
    } catch (error) {
      const mapped = fieldErrorState(error, values);
      if (mapped) return mapped;
      throw error;
    }
  },
  { returnTo: "/admin/users", failureMessage: "The grant could not be made. Nothing was changed." },
);

// Void what is left of a promotional grant, with a reason.
export const voidGrantAction = adminAction(
  z.object({ grantId: z.string().min(1).max(64), reason: adminReasonField }),
  async (fields, admin) => {
    try {
      const result = await voidPromotionalGrant(admin, fields);
      revalidatePath(`/admin/users/${result.userId}`);
      return { message: `Voided ${formatMoney(result.voidedMinor, result.currency)}. The balance is now ${formatMoney(result.balanceMinor, result.currency)}.` };
    } catch (error) {
      const mapped = fieldErrorState(error, { reason: fields.reason });
      if (mapped) return mapped;
      throw error;
    }
  },
  { returnTo: "/admin/users", failureMessage: "The grant could not be voided. Nothing was changed." },
);
