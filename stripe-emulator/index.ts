// The package's entry (@billfold/stripe-emulator): `startEmulator(options)` starts a local, stateful
// Stripe; `stripeConnection` / `stripeApiEnv` point a Stripe client at it. Test helpers: ./testing.ts.
import { DEFAULT_BRAND } from "./brand";
import type { ChaosOptions } from "./engines/chaos";
import { Emulator } from "./emulator";
import { EmulatorServer } from "./http/server";
import { defaultBillingSettings, loadSnapshot, type BillingSettings } from "./store";

export interface StartEmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The account's name on invoices, receipts, invoice PDFs and the portal's return link; default "Test account". */
  brand?: string;
  /** Base URL for hosted pages when the emulator is reached through another address. */
  publicUrl?: string;
  webhookEndpoints?: Array<{ url: string; secret: string }>;
  snapshotFile?: string;
  /** Divides Stripe's retry backoff (1 minute, 5 minutes, …) so tests see retries quickly. */
  retrySpeedup?: number;
  deliveryTimeoutMs?: number;
  chaos?: ChaosOptions;
  /** Delay before a delayed (bank debit) checkout payment settles; default 3 s. */
  asyncPaymentDelayMs?: number;
  /** Failed-payment retry schedule and final actions; defaults in `defaultBillingSettings()`. */
  billingSettings?: Partial<BillingSettings>;
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const initialState = options.snapshotFile ? loadSnapshot(options.snapshotFile) : undefined;
  const config = {
    baseUrl: options.publicUrl ?? "",
    brand: options.brand ?? DEFAULT_BRAND,
    staticEndpoints: options.webhookEndpoints ?? [],
    snapshotFile: options.snapshotFile,
    retrySpeedup: options.retrySpeedup ?? 1,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    chaos: options.chaos,
    asyncPaymentDelayMs: options.asyncPaymentDelayMs ?? 3000,
    billingSettings: { ...defaultBillingSettings(), ...options.billingSettings },
  };
  const emulator = new Emulator(config, initialState);
  const server = new EmulatorServer(emulator);
  const port = await server.listen(options.port ?? 0, host);
  const url = `http://${host}:${port}`;
  // The hosted-page base URL is only known once the port is.
  config.baseUrl = (options.publicUrl ?? url).replace(/\/+$/, "");
  return { url, port, close: () => server.close() };
}

export { DEFAULT_BRAND } from "./brand";
export { stripeApiEnv, stripeConnection, type EmulatorAddress, type StripeConnection } from "./connect";
export type { ChaosOptions } from "./engines/chaos";
export type { BillingSettings } from "./store";
export { signPayload, type DeliveryRecord } from "./engines/webhooks";
