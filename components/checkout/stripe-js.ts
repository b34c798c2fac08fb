import { loadStripe } from "@stripe/stripe-js/pure";
import type { Stripe } from "@stripe/stripe-js";

// Loading Stripe.js in the browser, once per page. `loadStripe` from the pure entry point injects
// nothing when imported; called, it uses an existing window.Stripe or fetches Stripe's own script.
// In development and tests the server names the emulator's Stripe.js-compatible script, which is
// loaded first (from this nonced bundle, so the CSP's 'strict-dynamic' lets it run) and defines
// window.Stripe: the code path after that is the one that runs against real Stripe.

/** What the server hands a paying page (lib/core/checkout-ui.ts); null: hosted Checkout only. */
export interface StripeJsConfig {
  publishableKey: string;
  emulatorScriptUrl: string | null;
}

/** Longer than Stripe.js takes on a slow connection; past it, the person pays on the hosted page instead. */
const LOAD_TIMEOUT_MS = 10_000;

let loading: { key: string; promise: Promise<Stripe> } | null = null;

function loadEmulatorScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
    document.head.appendChild(script);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Stripe.js took too long to load")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function load(config: StripeJsConfig): Promise<Stripe> {
  if (config.emulatorScriptUrl && !("Stripe" in window)) await loadEmulatorScript(config.emulatorScriptUrl);
  const stripe = await loadStripe(config.publishableKey);
  if (!stripe) throw new Error("Stripe.js did not load");
  return stripe;
}

/** The page's Stripe instance; rejects when Stripe.js cannot load or takes too long (a failed load may be tried again). */
export function loadStripeJs(config: StripeJsConfig): Promise<Stripe> {
  const key = `${config.publishableKey}|${config.emulatorScriptUrl ?? ""}`;
  if (loading?.key === key) return loading.promise;
  const promise = withTimeout(load(config), LOAD_TIMEOUT_MS);
  loading = { key, promise };
  promise.catch(() => {
    if (loading?.promise === promise) loading = null;
  });
  return promise;
}
