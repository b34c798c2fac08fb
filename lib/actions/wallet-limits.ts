"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { env } from "@/lib/core/env";
import { userAction } from "@/lib/accounts";
import { formatMoney } from "@/lib/core/money";
import { updateSpendingControls } from "@/lib/usage";
import { walletLimitsFormSchema } from "@/lib/validations/wallet-limits";

// Save the wallet page's "Spending controls": the user's monthly spend limit and low-balance alert.
// The schema is built when the form arrives, for the wallet's currency (its number of decimals).
export const saveSpendingControls = userAction(
  z.lazy(() => walletLimitsFormSchema(env().BILLFOLD_CURRENCY)),
  async ({ spendLimit, lowBalanceThreshold }, user) => {
    const currency = env().BILLFOLD_CURRENCY;
    await updateSpendingControls(user.id, currency, { spendLimitMinor: spendLimit, lowBalanceThresholdMinor: lowBalanceThreshold });
    revalidatePath("/wallet");
    const limit = spendLimit === null ? "no monthly limit of your own" : `a monthly limit of ${formatMoney(spendLimit, currency)}`;
    const alert = lowBalanceThreshold === null ? "no low-balance alert" : `an alert below ${formatMoney(lowBalanceThreshold, currency)}`;
    return { message: `Saved: ${limit}, ${alert}.` };
  },
  { returnTo: "/wallet", failureMessage: "We couldn't save your spending controls. Nothing has changed; please try again." },
);
