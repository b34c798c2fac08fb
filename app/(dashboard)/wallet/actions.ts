"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { minorUnitDigits } from "@/lib/money";
import { startTopUp, type TopUpRequest } from "@/lib/topups";
import { spendCredits } from "@/lib/usage/spend";
import { parseMajorAmount } from "@/lib/validations/wallet";

export type ActionState = { error?: string; message?: string };

const topUpFormSchema = z.object({
  packKey: z.string().min(1).max(50).optional(),
  amount: z.string().max(20).optional(),
});

function describeFailure(error: unknown, fallback: string): string {
  if (error instanceof AppError) return error.message;
  log.error("wallet_action_failed", { error: error instanceof Error ? error.message : String(error) });
  return fallback;
}

// Server action: start Stripe Checkout for a pack or a custom amount, then send the browser there.
export async function buyCredits(_previous: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser("/wallet");
  const fields = topUpFormSchema.parse({ packKey: form.get("packKey") ?? undefined, amount: form.get("amount") ?? undefined });
  let request: TopUpRequest;
  if (fields.packKey) request = { packKey: fields.packKey };
  else {
    const amountMinor = parseMajorAmount(fields.amount ?? "", minorUnitDigits(env().BILLFOLD_CURRENCY));
    if (amountMinor === null) return { error: "Enter an amount like 25 or 12.50." };
    request = { amountMinor };
  }
  let url: string;
  try {
    url = (await startTopUp(user.id, request)).url;
  } catch (error) {
    return { error: describeFailure(error, "We couldn't start the payment. Nothing was charged; please try again.") };
  }
  redirect(url);
}

const DEMO_SPEND_MINOR = 50; // £0.50

// Server action: spend a little credit so people can watch a debit land. The form's key makes a double submit spend once.
export async function spendDemoCredits(_previous: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser("/wallet");
  const key = z.string().min(8).max(100).safeParse(form.get("idempotencyKey"));
  if (!key.success) return { error: "This form has expired; reload the page and try again." };
  try {
    await spendCredits(user.id, { amountMinor: DEMO_SPEND_MINOR, description: "Demo usage", idempotencyKey: key.data });
  } catch (error) {
    return { error: describeFailure(error, "We couldn't spend credits just now. Nothing was debited.") };
  }
  revalidatePath("/wallet");
  return { message: "Spent £0.50 of credit." };
}
