"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { portalLookCookie } from "@/lib/billing";
import { cancelPlanCheckout, confirmPlanChange, openBillingPortal, startPlanCheckout } from "@/lib/billing";
import { checkoutPageFor } from "@/lib/core/checkout-ui";
import { userAction } from "@/lib/accounts";
import { planSwitchFormSchema, upgradeFormSchema } from "@/lib/validations/checkout";

// Choose a paid plan: Stripe Checkout for a new subscription (embedded in the page when the page asked
// for it: its client secret goes back to it), or the portal when the user already has one
// (startPlanCheckout decides, from Stripe itself). A double click lands on the same session.
export const upgradeToPlan = userAction(
  upgradeFormSchema,
  async ({ planKey, checkoutUi }, user) => {
    const started = await startPlanCheckout(user.id, planKey, { ui: checkoutPageFor(checkoutUi) });
    if (started.destination === "embedded") return { checkout: { sessionId: started.sessionId, clientSecret: started.clientSecret, reference: planKey } };
    if (started.destination === "portal") await rememberBillingBeforePortal(user.id);
    redirect(started.url);
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

// Confirm a plan switch previewed on /billing (lib/billing/plan-switch.ts): the amounts were Stripe's, and
// only the plan, the preview's proration date and the confirmation's id come back from the form. Back on
// /billing?switched=1 the page waits for the webhook as after the portal, with the state from before kept
// the same way, and shows the new plan without a reload.
export const confirmPlanSwitch = userAction(
  planSwitchFormSchema,
  async ({ planKey, prorationDate, switchId }, user) => {
    await rememberBillingBeforePortal(user.id);
    await confirmPlanChange(user.id, planKey, { prorationDate, switchId });
    redirect("/billing?switched=1");
  },
  { returnTo: "/billing", failureMessage: "We couldn't change your plan just now. Nothing was charged; please try again." },
);

// The embedded upgrade form was closed unpaid: Stripe expires its session and the upgrade slot is
// freed. A session completed just before is not canceled; its subscription shows once Stripe confirms it.
export const cancelEmbeddedUpgrade = userAction(
  z.object({ sessionId: z.string().min(1).max(255) }),
  async ({ sessionId }, user) => {
    const { completed } = await cancelPlanCheckout(user.id, sessionId);
    return completed ? { code: "checkout_completed" } : { code: "canceled" };
  },
  { returnTo: "/billing", failureMessage: "We couldn't reach Stripe to cancel this checkout. Nothing was charged." },
);

/** Keeps the billing state as it is before the portal, so that /billing can say what changed there. */
async function rememberBillingBeforePortal(userId: string): Promise<void> {
  const cookie = await portalLookCookie(userId);
  (await cookies()).set(cookie.name, cookie.value, cookie.options);
}
