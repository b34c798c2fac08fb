import { describe, expect, it } from "vitest";
import { resolveCheckoutUi } from "./checkout-ui";

const emulator = { STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PORT: 12111, STRIPE_API_PROTOCOL: "http" as const };

describe("checkout UI", () => {
  it("is embedded by default with a publishable key, loading the emulator's Stripe.js where the SDK points at it, and Stripe's own otherwise", () => {
    expect(resolveCheckoutUi({ BILLFOLD_CHECKOUT_UI: "embedded", NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_abc", ...emulator })).toEqual({
      ui: { mode: "embedded", publishableKey: "pk_test_abc", emulatorScriptUrl: "http://127.0.0.1:12111/endive/stripe.js" },
      fallbackReason: null,
    });
    expect(resolveCheckoutUi({ BILLFOLD_CHECKOUT_UI: "embedded", NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_live_abc", STRIPE_SECRET_KEY: "rk_live_abc" }).ui).toEqual({
      mode: "embedded",
      publishableKey: "pk_live_abc",
      emulatorScriptUrl: null,
    });
  });

  it("is hosted when configured so, without a publishable key, or with one of the other mode than the secret key (saying why)", () => {
    expect(resolveCheckoutUi({ BILLFOLD_CHECKOUT_UI: "hosted", NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_abc" })).toEqual({ ui: { mode: "hosted" }, fallbackReason: null });
    expect(resolveCheckoutUi({ BILLFOLD_CHECKOUT_UI: "embedded" })).toEqual({ ui: { mode: "hosted" }, fallbackReason: "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY is unset" });
    const mismatch = resolveCheckoutUi({ BILLFOLD_CHECKOUT_UI: "embedded", NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_live_abc", STRIPE_SECRET_KEY: "sk_test_abc" });
    expect(mismatch.ui).toEqual({ mode: "hosted" });
    expect(mismatch.fallbackReason).toMatch(/live-mode key but STRIPE_SECRET_KEY is a test-mode key/);
    // No secret key is the emulator's test mode: a live publishable key does not go with it.
    expect(resolveCheckoutUi({ BILLFOLD_CHECKOUT_UI: "embedded", NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_live_abc", ...emulator }).ui).toEqual({ mode: "hosted" });
  });
});
