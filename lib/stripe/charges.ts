import "server-only";
import type Stripe from "stripe";
import { stripe } from "./client";

/** One charge, for a dispute event that names the charge but not its PaymentIntent. */
export function retrieveCharge(chargeId: string): Promise<Stripe.Charge> {
  return stripe().charges.retrieve(chargeId);
}

/**
 * The charge behind a payment, as Stripe sees it now (amount_refunded counts refunds whose events may
 * not have reached us yet). By charge id when known, else through the PaymentIntent's latest charge.
 */
export async function retrieveChargeOfPayment(reference: { chargeId: string | null; paymentIntentId: string | null }): Promise<Stripe.Charge | null> {
  if (reference.chargeId) return retrieveCharge(reference.chargeId);
  if (!reference.paymentIntentId) return null;
  const paymentIntent = await stripe().paymentIntents.retrieve(reference.paymentIntentId, { expand: ["latest_charge"] });
  const latest = paymentIntent.latest_charge;
  if (latest === null) return null;
  return typeof latest === "string" ? retrieveCharge(latest) : latest;
}
