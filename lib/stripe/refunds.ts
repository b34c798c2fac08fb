import "server-only";
import type Stripe from "stripe";
import { stripe } from "./client";

/** Every refund of a charge; `charge.refunded` events do not carry the refund list in this API version. */
export async function listRefundsForCharge(chargeId: string): Promise<Stripe.Refund[]> {
  const refunds: Stripe.Refund[] = [];
  for await (const refund of stripe().refunds.list({ charge: chargeId, limit: 100 })) refunds.push(refund);
  return refunds;
}
