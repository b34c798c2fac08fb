"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { portalLookCookie } from "@/lib/billing";
import { openBillingPortal, startPlanCheckout } from "@/lib/billing";
import { userAction } from "@/lib/accounts";
import { upgradeFormSchema } from "@/lib/validations/checkout";

// Choose a paid plan: Stripe Checkout for a new subscription, or the portal when the user already
// has one (startPlanCheckout decides, from Stripe itself). A double click lands on the same session.
export const upgradeToPlan = userAction(
  upgradeFormSchema,
  async ({ planKey }, user) => {
    const { destination, url } = await startPlanCheckout(user.id, planKey);
    if (destination === "portal") await rememberBillingBeforePortal(user.id);
    redirect(url);
  },
  { returnTo: "/billing", failureMessage: "We couldn't start the upgrade. Nothing was charged; please try again." },
);

// Manage the subscription (change plan, cancel, card, invoices) in the Stripe Customer Portal. A user
// without a Stripe customer gets the no_billing_account message back on the form.
export const openPortal = userAction(
  z.object({}),
  async (_input, user) => {
    const { url } = await openBillingPortal(user.id);
    await rememberBillingBeforePortal(user.id);
    redirect(url);
  },
  { returnTo: "/billing", failureMessage: "We couldn't open the billing portal just now. Please try again." },
);

/** Keeps the billing state as it is before the portal, so that /billing can say what changed there. */
async function rememberBillingBeforePortal(userId: string): Promise<void> {
  const cookie = await portalLookCookie(userId);
  (await cookies()).set(cookie.name, cookie.value, cookie.options);
}
