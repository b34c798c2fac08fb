import { describe, expect, it } from "vitest";
import { checkoutOrigin, pageContentSecurityPolicy, portalOrigin } from "./csp";

const production = { NODE_ENV: "production" as const };
const emulator = { NODE_ENV: "production" as const, STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PORT: 12111, STRIPE_API_PROTOCOL: "http" as const };

function directive(policy: string, name: string): string | undefined {
  return policy.split("; ").find((part) => part === name || part.startsWith(`${name} `));
}

describe("page Content-Security-Policy", () => {
  it("runs scripts by nonce only, and never evaluates code in production", () => {
    const policy = pageContentSecurityPolicy({ nonce: "abc123", pathname: "/", env: production, https: true });
    expect(directive(policy, "script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directive(policy, "style-src")).toBe("style-src 'self' 'nonce-abc123'");
    expect(directive(policy, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(policy, "upgrade-insecure-requests")).toBeDefined();
    expect(policy).not.toContain("unsafe");
  });

  it("allows what `next dev` needs in development only, and upgrades requests only over https", () => {
    const policy = pageContentSecurityPolicy({ nonce: "n", pathname: "/", env: { NODE_ENV: "development" }, https: false });
    expect(directive(policy, "script-src")).toContain("'unsafe-eval'");
    expect(directive(policy, "style-src")).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive(policy, "upgrade-insecure-requests")).toBeUndefined();
  });

  it("lets the wallet send its form to Checkout: Stripe's, or the emulator the SDK points at; pages without such a form nowhere", () => {
    expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname: "/wallet", env: production, https: true }), "form-action")).toBe(
      "form-action 'self' https://checkout.stripe.com",
    );
    expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname: "/wallet", env: emulator, https: false }), "form-action")).toBe(
      "form-action 'self' http://127.0.0.1:12111",
    );
    for (const pathname of ["/", "/admin", "/walletx", "/billingx", "/signin"]) {
      expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname, env: production, https: true }), "form-action")).toBe("form-action 'self'");
    }
    expect(checkoutOrigin({ NODE_ENV: "production", STRIPE_API_HOST: "stripe.internal" })).toBe("https://stripe.internal");
  });

  it("lets the billing page send its forms to Checkout (upgrade) and the Customer Portal (manage, change plan)", () => {
    expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname: "/billing", env: production, https: true }), "form-action")).toBe(
      "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
    );
    // The emulator serves both pages from one origin, listed once.
    expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname: "/billing", env: emulator, https: false }), "form-action")).toBe(
      "form-action 'self' http://127.0.0.1:12111",
    );
    // The wallet never sends a form to the portal.
    expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname: "/wallet", env: production, https: true }), "form-action")).not.toContain("billing.stripe.com");
    expect(portalOrigin({ NODE_ENV: "production", STRIPE_API_HOST: "stripe.internal", STRIPE_API_PORT: 8443 })).toBe("https://stripe.internal:8443");
  });

  it("lets only the paying pages load Stripe.js and frame Embedded Checkout: Stripe's origins, or the emulator's instead when the SDK points at it", () => {
    for (const pathname of ["/wallet", "/billing"]) {
      const policy = pageContentSecurityPolicy({ nonce: "n", pathname, env: production, https: true });
      expect(directive(policy, "script-src")).toBe("script-src 'self' 'nonce-n' 'strict-dynamic' https://js.stripe.com https://*.js.stripe.com");
      expect(directive(policy, "frame-src")).toBe("frame-src https://js.stripe.com https://*.js.stripe.com https://checkout.stripe.com https://hooks.stripe.com");
      expect(directive(policy, "connect-src")).toBe("connect-src 'self' https://api.stripe.com https://checkout.stripe.com");
      expect(directive(policy, "img-src")).toBe("img-src 'self' data: blob: https://*.stripe.com");
      const local = pageContentSecurityPolicy({ nonce: "n", pathname, env: emulator, https: false });
      expect(directive(local, "script-src")).toBe("script-src 'self' 'nonce-n' 'strict-dynamic' http://127.0.0.1:12111");
      expect(directive(local, "frame-src")).toBe("frame-src http://127.0.0.1:12111");
      expect(directive(local, "connect-src")).toBe("connect-src 'self' http://127.0.0.1:12111");
      expect(local).not.toContain("stripe.com");
    }
    for (const pathname of ["/", "/admin", "/wallet/receipts/p_1", "/walletx", "/signin", "/account"]) {
      const policy = pageContentSecurityPolicy({ nonce: "n", pathname, env: emulator, https: false });
      expect(directive(policy, "frame-src")).toBe("frame-src 'none'");
      expect(directive(policy, "connect-src")).toBe("connect-src 'self'");
      expect(directive(policy, "script-src")).toBe("script-src 'self' 'nonce-n' 'strict-dynamic'");
      expect(pageContentSecurityPolicy({ nonce: "n", pathname, env: production, https: true })).not.toContain("js.stripe.com");
    }
  });
});
