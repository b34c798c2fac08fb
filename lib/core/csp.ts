import type { ServerEnv } from "./env";

// The Content-Security-Policy of every page, built per request by proxy.ts. Scripts run only with
// this request's nonce (Next.js puts it on its own scripts when it finds it in the request's CSP
// header), so an injected <script> cannot run; 'strict-dynamic' lets those scripts load Next's
// chunks. No page loads Stripe.js today, so js.stripe.com / api.stripe.com appear nowhere; the only
// Stripe origins are Checkout's and the Customer Portal's, as form targets on the pages whose forms
// redirect there.

export interface PagePolicyOptions {
  nonce: string;
  pathname: string;
  env: Pick<ServerEnv, "NODE_ENV" | "STRIPE_API_HOST" | "STRIPE_API_PORT" | "STRIPE_API_PROTOCOL">;
  /** The app is served over https: ask the browser to upgrade any stray http sub-resource. */
  https: boolean;
}

/** The emulator the SDK is pointed at (it serves Checkout and the portal too), or null for real Stripe. */
function emulatorOrigin(env: PagePolicyOptions["env"]): string | null {
  if (!env.STRIPE_API_HOST) return null;
  const port = env.STRIPE_API_PORT ? `:${env.STRIPE_API_PORT}` : "";
  return `${env.STRIPE_API_PROTOCOL ?? "https"}://${env.STRIPE_API_HOST}${port}`;
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

export function pageContentSecurityPolicy({ nonce, pathname, env, https }: PagePolicyOptions): string {
  const development = env.NODE_ENV === "development";
  const formAction = ["'self'", ...stripeFormTargets(pathname, env)];
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    // React's development build evaluates code to rebuild server stacks; production never does.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // The dev server injects styles without a nonce; the production CSS is a file from 'self'.
    ["style-src", "'self'", development ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", ...formAction],
    ["frame-src", "'none'"],
    // Clickjacking: no page may be framed, not even by ourselves (X-Frame-Options DENY says the same to old browsers).
    ["frame-ancestors", "'none'"],
  ];
  if (https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}
