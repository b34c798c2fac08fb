import { env } from "../core/env";

/**
 * Whether the configured key is a live-mode key (sk_live_… or rk_live_…); any other key, or none
 * (development on the emulator), is test mode. Events must come from the same mode as the key.
 */
export function stripeKeyIsLive(secretKey = env().STRIPE_SECRET_KEY): boolean {
  return /^(sk|rk)_live_/.test(secretKey ?? "");
}
