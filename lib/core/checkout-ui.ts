import type { ServerEnv } from "./env";
import { env as serverEnv } from "./env";
import { log } from "./log";

// How people pay: Stripe's Checkout embedded in a dialog of the page, or the hosted page the browser
// goes to and comes back from. Embedded is the default; it needs the publishable key, whose mode
// must be the secret key's (a test-mode session cannot be drawn with a live key, nor the reverse).
// Whatever this says, a browser without JavaScript, or one where Stripe.js does not load, pays on
// the hosted page: the forms post to server actions that redirect there.

export type CheckoutUi =
  | { mode: "hosted" }
  | {
      mode: "embedded";
      publishableKey: string;
      /**
       * A Stripe.js-compatible script the page loads before `loadStripe` (which then uses the
       * `window.Stripe` it defines): the emulator's, in development and tests. Null with real Stripe:
       * `loadStripe` fetches Stripe's own script.
       */
      emulatorScriptUrl: string | null;
    };

type CheckoutUiEnv = Pick<
  ServerEnv,
  "BILLFOLD_CHECKOUT_UI" | "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY" | "STRIPE_SECRET_KEY" | "STRIPE_API_HOST" | "STRIPE_API_PORT" | "STRIPE_API_PROTOCOL"
>;

/** The mode a Stripe key belongs to; no secret key at all is the emulator's, which is test mode. */
function keyMode(key: string | undefined): "live" | "test" {
  return /^(sk|rk|pk)_live_/.test(key ?? "") ? "live" : "test";
}

/** Why the publishable key cannot be used with the secret key, or null when it can (or is unset). */
export function publishableKeyProblem(env: Pick<CheckoutUiEnv, "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY" | "STRIPE_SECRET_KEY">): string | null {
  const publishable = env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
  if (!publishable) return null;
  const publishableMode = keyMode(publishable);
  const secretMode = keyMode(env.STRIPE_SECRET_KEY);
  if (publishableMode === secretMode) return null;
  return `is a ${publishableMode}-mode key but STRIPE_SECRET_KEY is ${env.STRIPE_SECRET_KEY ? `a ${secretMode}-mode key` : "unset (the emulator, test mode)"}: both must be test keys or both live keys`;
}

/** The origin of the emulator the SDK is pointed at, or null for real Stripe. */
export function emulatorOrigin(env: Pick<ServerEnv, "STRIPE_API_HOST" | "STRIPE_API_PORT" | "STRIPE_API_PROTOCOL">): string | null {
  if (!env.STRIPE_API_HOST) return null;
  const port = env.STRIPE_API_PORT ? `:${env.STRIPE_API_PORT}` : "";
  return `${env.STRIPE_API_PROTOCOL ?? "https"}://${env.STRIPE_API_HOST}${port}`;
}

/** Where the emulator serves its Stripe.js-compatible script (stripe-emulator, the contract of issue 26). */
export function emulatorStripeJsUrl(origin: string): string {
  return `${origin}/endive/stripe.js`;
}

/** The checkout UI this configuration asks for, and why it fell back to hosted when it did. */
export function resolveCheckoutUi(env: CheckoutUiEnv): { ui: CheckoutUi; fallbackReason: string | null } {
  if (env.BILLFOLD_CHECKOUT_UI === "hosted") return { ui: { mode: "hosted" }, fallbackReason: null };
  const publishableKey = env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
  if (!publishableKey) return { ui: { mode: "hosted" }, fallbackReason: "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY is unset" };
  const problem = publishableKeyProblem(env);
  if (problem) return { ui: { mode: "hosted" }, fallbackReason: `NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ${problem}` };
  const origin = emulatorOrigin(env);
  return { ui: { mode: "embedded", publishableKey, emulatorScriptUrl: origin ? emulatorStripeJsUrl(origin) : null }, fallbackReason: null };
}

let warned = false;

/** The checkout UI of this server; a fallback to hosted is logged once per process. */
export function checkoutUi(env: CheckoutUiEnv = serverEnv()): CheckoutUi {
  const { ui, fallbackReason } = resolveCheckoutUi(env);
  if (fallbackReason && !warned) {
    warned = true;
    log.warn("checkout_ui_hosted_fallback", { reason: fallbackReason, hint: "BILLFOLD_CHECKOUT_UI=embedded needs a publishable key of the secret key's mode" });
  }
  return ui;
}

/** The page a payment form gets: embedded only when the page asked for it (Stripe.js loaded there) and this server is configured for it. */
export function checkoutPageFor(requested: "hosted" | "embedded" | undefined): "hosted" | "embedded" {
  return requested === "embedded" && checkoutUi().mode === "embedded" ? "embedded" : "hosted";
}

/** What a paying page hands its payment forms (components/checkout): null when this server uses hosted Checkout only. */
export function stripeJsConfig(): { publishableKey: string; emulatorScriptUrl: string | null } | null {
  const ui = checkoutUi();
  return ui.mode === "embedded" ? { publishableKey: ui.publishableKey, emulatorScriptUrl: ui.emulatorScriptUrl } : null;
}
