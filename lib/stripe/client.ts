import "server-only";
import Stripe from "stripe";
import { env } from "../core/env";
import { ServiceUnavailableError } from "../core/errors";

// Pinned so that a Stripe account's default version never changes the shapes this code reads.
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = "2026-10-28.endive";

let client: Stripe | undefined;

/**
 * The one Stripe client. STRIPE_API_HOST/PORT/PROTOCOL point it at the local emulator in development
 * and tests; unset, it talks to api.stripe.com.
 */
export function stripe(): Stripe {
  if (client) return client;
  const e = env();
  if (!e.STRIPE_SECRET_KEY) {
    throw new ServiceUnavailableError("stripe_not_configured", "Payments are not configured on this server.");
  }
  client = new Stripe(e.STRIPE_SECRET_KEY, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Billfold" },
    ...(e.STRIPE_API_HOST ? { host: e.STRIPE_API_HOST } : {}),
    ...(e.STRIPE_API_PORT ? { port: e.STRIPE_API_PORT } : {}),
    ...(e.STRIPE_API_PROTOCOL ? { protocol: e.STRIPE_API_PROTOCOL } : {}),
  });
  return client;
}
