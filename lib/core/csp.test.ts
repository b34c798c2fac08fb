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
});
