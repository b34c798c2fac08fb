import type { ServerEnv } from "../env";

// The Content-Security-Policy of every page, built per request by proxy.ts. Scripts run only with
// this request's nonce (Next.js puts it on its own scripts when it finds it in the request's CSP
// header), so an injected <script> cannot run; 'strict-dynamic' lets those scripts load Next's
// chunks. No page loads Stripe.js today, so js.stripe.com / api.stripe.com appear nowhere; the only
// Stripe origin is Checkout's, as a form target on the page whose form redirects there.

export interface PagePolicyOptions {
  nonce: string;
  pathname: string;
  env: Pick<ServerEnv, "NODE_ENV" | "STRIPE_API_HOST" | "STRIPE_API_PORT" | "STRIPE_API_PROTOCOL">;
  /** The app is served over https: ask the browser to upgrade any stray http sub-resource. */
  https: boolean;
}

/** Where Stripe Checkout lives: Stripe's own host, or the emulator the SDK is pointed at. */
export function checkoutOrigin(env: PagePolicyOptions["env"]): string {
  if (!env.STRIPE_API_HOST) return "https://checkout.stripe.com";
  const port = env.STRIPE_API_PORT ? `:${env.STRIPE_API_PORT}` : "";
  return `${env.STRIPE_API_PROTOCOL ?? "https"}://${env.STRIPE_API_HOST}${port}`;
}

// Pages whose server action answers a form post with a redirect to Checkout (lib/actions/wallet.ts).
// Chromium applies form-action to the redirect after a submission too, so the target must be listed.
const PAGES_THAT_SEND_TO_CHECKOUT = ["/wallet"];

function sendsToCheckout(pathname: string): boolean {
  return PAGES_THAT_SEND_TO_CHECKOUT.some((page) => pathname === page || pathname.startsWith(`${page}/`));
}

export function pageContentSecurityPolicy({ nonce, pathname, env, https }: PagePolicyOptions): string {
  const development = env.NODE_ENV === "development";
  const formAction = ["'self'", ...(sendsToCheckout(pathname) ? [checkoutOrigin(env)] : [])];
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
