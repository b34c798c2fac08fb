import "server-only";
import { stripe } from "./client";

export interface CreateCustomerOptions {
  userId: string;
  email: string;
  name: string | null;
}

/** Creates the Stripe customer for a user. The idempotency key makes a retried or raced call return the same customer. */
export async function createCustomer(options: CreateCustomerOptions): Promise<string> {
  const customer = await stripe().customers.create(
    { email: options.email, name: options.name ?? undefined, metadata: { billfoldUserId: options.userId } },
    { idempotencyKey: `customer:${options.userId}` },
  );
  return customer.id;
}
