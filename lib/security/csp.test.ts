import { describe, expect, it } from "vitest";
import { checkoutOrigin, pageContentSecurityPolicy } from "./csp";

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

  it("lets only the wallet send its form to Checkout: Stripe's, or the emulator the SDK points at", () => {
    expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname: "/wallet", env: production, https: true }), "form-action")).toBe(
      "form-action 'self' https://checkout.stripe.com",
    );
    expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname: "/wallet", env: emulator, https: false }), "form-action")).toBe(
      "form-action 'self' http://127.0.0.1:12111",
    );
    for (const pathname of ["/", "/billing", "/admin", "/walletx", "/signin"]) {
      expect(directive(pageContentSecurityPolicy({ nonce: "n", pathname, env: production, https: true }), "form-action")).toBe("form-action 'self'");
    }
    expect(checkoutOrigin({ NODE_ENV: "production", STRIPE_API_HOST: "stripe.internal" })).toBe("https://stripe.internal");
  });
});
