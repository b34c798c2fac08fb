// Pointing Stripe at an emulator: the SDK's connection settings for one, and the same settings as the
// environment variables an app's Stripe client reads (STRIPE_API_HOST/PORT/PROTOCOL, see the README).
// Every script and test that aims Stripe at an emulator goes through these two.

/** An emulator's address: a RunningEmulator, or its URL. */
export type EmulatorAddress = string | { url: string };

export interface StripeConnection {
  host: string;
  port: number;
  protocol: "http" | "https";
}

/** `host`, `port` and `protocol` for `new Stripe(key, { ...stripeConnection(emulator) })`. */
export function stripeConnection(emulator: EmulatorAddress): StripeConnection {
  const url = new URL(typeof emulator === "string" ? emulator : emulator.url);
  const protocol = url.protocol === "https:" ? "https" : "http";
  return { host: url.hostname, port: Number(url.port || (protocol === "https" ? 443 : 80)), protocol };
}

/** The same connection as environment variables, for an app process or a test's `process.env`. */
export function stripeApiEnv(emulator: EmulatorAddress): { STRIPE_API_HOST: string; STRIPE_API_PORT: string; STRIPE_API_PROTOCOL: "http" | "https" } {
  const { host, port, protocol } = stripeConnection(emulator);
  return { STRIPE_API_HOST: host, STRIPE_API_PORT: String(port), STRIPE_API_PROTOCOL: protocol };
}
