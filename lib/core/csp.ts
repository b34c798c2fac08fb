import { emulatorOrigin } from "./checkout-ui";
import type { ServerEnv } from "./env";

// The Content-Security-Policy of every page, built per request by proxy.ts. Scripts run only with
// this request's nonce (Next.js puts it on its own scripts when it finds it in the request's CSP
// header), so an injected <script> cannot run; 'strict-dynamic' lets those scripts load Next's
// chunks, and the scripts those load (Stripe.js, which `loadStripe` injects). Stripe's origins appear
// only on the pages that pay: Stripe.js and Embedded Checkout's frame on /wallet and /billing, and
// Checkout's and the Customer Portal's pages as form targets where a form redirects there.

export interface PagePolicyOptions {
  nonce: string;
  pathname: string;
  env: Pick<ServerEnv, "NODE_ENV" | "STRIPE_API_HOST" | "STRIPE_API_PORT" | "STRIPE_API_PROTOCOL">;
  /** The app is served over https: ask the browser to upgrade any stray http sub-resource. */
  https: boolean;
}

/** Where Stripe Checkout lives: Stripe's own host, or the emulator the SDK is pointed at. */
export function checkoutOrigin(env: PagePolicyOptions["env"]): string {
  return emulatorOrigin(env) ?? "https://checkout.stripe.com";
}

/** Where the Stripe Customer Portal lives: Stripe's own host, or the emulator. */
export function portalOrigin(env: PagePolicyOptions["env"]): string {
  return emulatorOrigin(env) ?? "https://billing.stripe.com";
}

// Pages whose server actions answer a form post with a redirect to Stripe: the wallet's top-up
// (lib/actions/wallet.ts) goes to Checkout; the billing page's upgrade goes to Checkout, or to the
// portal for a user who already subscribes, and its "Manage billing" goes to the portal
// (lib/actions/billing.ts). Chromium applies form-action to the redirect after a submission too, so
// each target must be listed, but only where a form goes there.
const STRIPE_FORM_TARGETS: ReadonlyArray<{ page: string; origins: (env: PagePolicyOptions["env"]) => string[] }> = [
  { page: "/wallet", origins: (env) => [checkoutOrigin(env)] },
  { page: "/billing", origins: (env) => [checkoutOrigin(env), portalOrigin(env)] },
];

function stripeFormTargets(pathname: string, env: PagePolicyOptions["env"]): string[] {
  const targets = STRIPE_FORM_TARGETS.filter(({ page }) => pathname === page || pathname.startsWith(`${page}/`)).flatMap(({ origins }) => origins(env));
  return [...new Set(targets)];
}

// Pages that draw Embedded Checkout (components/checkout): the wallet (top-ups, saving a card) and
// billing (upgrades). Stripe's documented CSP for Stripe.js and Embedded Checkout: the script from
// js.stripe.com, its frames from js.stripe.com, checkout.stripe.com and hooks.stripe.com (3-D
// Secure), calls to api.stripe.com and checkout.stripe.com, images from *.stripe.com. With the SDK
// pointed at the emulator (development and tests only: production refuses STRIPE_API_HOST), the
// emulator's origin serves all of it, and Stripe's origins are left out.
const PAYING_PAGES: ReadonlySet<string> = new Set(["/wallet", "/billing"]);

export interface StripeJsSources {
  script: string[];
  frame: string[];
  connect: string[];
  img: string[];
}

/** The sources a page needs for Stripe.js and Embedded Checkout: none on a page that does not pay. */
export function stripeJsSources(pathname: string, env: PagePolicyOptions["env"]): StripeJsSources {
  if (!PAYING_PAGES.has(pathname)) return { script: [], frame: [], connect: [], img: [] };
  const emulator = emulatorOrigin(env);
  if (emulator) return { script: [emulator], frame: [emulator], connect: [emulator], img: [] };
  return {
    script: ["https://js.stripe.com", "https://*.js.stripe.com"],
    frame: ["https://js.stripe.com", "https://*.js.stripe.com", "https://checkout.stripe.com", "https://hooks.stripe.com"],
    connect: ["https://api.stripe.com", "https://checkout.stripe.com"],
    img: ["https://*.stripe.com"],
  };
}

export function pageContentSecurityPolicy({ nonce, pathname, env, https }: PagePolicyOptions): string {
  const development = env.NODE_ENV === "development";
  const formAction = ["'self'", ...stripeFormTargets(pathname, env)];
  const stripeJs = stripeJsSources(pathname, env);
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    // React's development build evaluates code to rebuild server stacks; production never does.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : []), ...stripeJs.script],
    // The dev server injects styles without a nonce; the production CSS is a file from 'self'.
    ["style-src", "'self'", development ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    ["img-src", "'self'", "data:", "blob:", ...stripeJs.img],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...stripeJs.connect],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", ...formAction],
    ["frame-src", ...(stripeJs.frame.length > 0 ? stripeJs.frame : ["'none'"])],
    // Clickjacking: no page may be framed, not even by ourselves (X-Frame-Options DENY says the same to old browsers).
    ["frame-ancestors", "'none'"],
  ];
  if (https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}
