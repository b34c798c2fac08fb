import { db } from "../core/db";
import { NotFoundError } from "../core/errors";
import { createCustomer } from "../stripe";
import { wakeEventsAwaiting } from "../events";

/** The user's Stripe customer id, created on first use. Concurrent first uses converge on one customer. */
export async function ensureStripeCustomer(userId: string): Promise<string> {
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError("User not found.");
  if (user.stripeCustomerId) return user.stripeCustomerId;
  // The idempotency key is per user, so a race between two first uses gets the same customer back from Stripe.
  const customerId = await createCustomer({ userId: user.id, email: user.email, name: user.name });
  await db().$transaction(async (tx) => {
    await tx.user.updateMany({ where: { id: user.id, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
    // Events about this customer that beat the line above are unmatched, waiting for it.
    await wakeEventsAwaiting(tx, [customerId]);
  });
  const stored = await db().user.findUniqueOrThrow({ where: { id: user.id } });
  return stored.stripeCustomerId ?? customerId;
}
