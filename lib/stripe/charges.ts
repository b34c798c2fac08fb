import "server-only";
import type Stripe from "stripe";
import { stripe } from "./client";

/** One charge, for a dispute event that names the charge but not its PaymentIntent. */
export function retrieveCharge(chargeId: string): Promise<Stripe.Charge> {
  return stripe().charges.retrieve(chargeId);
}
