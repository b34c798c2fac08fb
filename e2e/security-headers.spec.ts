import { expect, test, type Page } from "@playwright/test";
import { E2E_STRIPE_URL } from "./config";
import { signUpFreshUser } from "./helpers";

// The headers as the production server (`next start` of the build) sends them, and the browser's
// verdict on them: no page breaks its own Content-Security-Policy, and the top-up still reaches Checkout.

const EVERYWHERE = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};

function directives(policy: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

test.describe("security headers from the production server", () => {
  for (const path of ["/", "/signin", "/wallet", "/billing", "/api/health"]) {
    test(`${path} sends the headers every response gets`, async ({ page }) => {
      // Signed in, /signin answers with a redirect to the wallet: redirects carry them too.
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status()).toBeLessThan(400);
      expect(response.headers()).toMatchObject(EVERYWHERE);
    });
  }

  test("pages get a nonce-based CSP that forbids framing, with a fresh nonce per response", async ({ page }) => {
    const [first, second] = await Promise.all([page.request.get("/"), page.request.get("/")]);
    const policy = directives(first.headers()["content-security-policy"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    const scripts = policy.get("script-src") ?? [];
    expect(scripts).toEqual(["'self'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]{20,}'$/), "'strict-dynamic'"]);
    expect(second.headers()["content-security-policy"]).not.toBe(first.headers()["content-security-policy"]);
    // The home page pays nothing, so no Stripe origin may run scripts, connect or frame there (only
    // /wallet and /billing load Stripe.js: lib/core/csp.test.ts, e2e/embedded-checkout.spec.ts).
    expect(first.headers()["content-security-policy"]).not.toContain("stripe");
    expect(policy.get("form-action")).toEqual(["'self'"]);
  });

  test("only the pages whose forms redirect to Stripe may send a form there: the wallet (Checkout) and billing (Checkout, portal)", async ({ page }) => {
    const wallet = directives((await page.request.get("/wallet")).headers()["content-security-policy"]);
    expect(wallet.get("form-action")).toEqual(["'self'", E2E_STRIPE_URL]);
    // The emulator serves Checkout and the portal from one origin (Stripe: checkout.stripe.com, billing.stripe.com).
    const billing = directives((await page.request.get("/billing")).headers()["content-security-policy"]);
    expect(billing.get("form-action")).toEqual(["'self'", E2E_STRIPE_URL]);
    for (const path of ["/", "/signin", "/signup"]) {
      const other = directives((await page.request.get(path, { maxRedirects: 0 })).headers()["content-security-policy"]);
      expect(other.get("form-action"), path).toEqual(["'self'"]);
    }
  });

  test("API responses may load nothing and be framed by nothing", async ({ page }) => {
    const response = await page.request.get("/api/health");
    expect(response.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, "__cspViolations", { value: seen });
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`));
  });
  return () => page.evaluate(() => (Reflect.get(window, "__cspViolations") as string[] | undefined) ?? []);
}

test.describe("pages under their CSP in Chromium", () => {
  test("every page runs its scripts with this response's nonce and reports no violation", async ({ page }) => {
    const violations = await watchViolations(page);
    for (const path of ["/", "/wallet", "/billing", "/signin"]) {
      const response = await page.goto(path);
      const nonce = /'nonce-([^']+)'/.exec(response?.headers()["content-security-policy"] ?? "")?.[1];
      expect(nonce, path).toBeTruthy();
      // Every script the server sent carries this response's nonce.
      const sentNonces = [...((await response?.text()) ?? "").matchAll(/<script\b[^>]*>/g)].map((tag) => /\snonce="([^"]*)"/.exec(tag[0])?.[1] ?? "");
      expect(sentNonces.length, path).toBeGreaterThan(0);
      expect(new Set(sentNonces), path).toEqual(new Set([nonce]));
      // The browser hides the nonce attribute, but the property keeps it. Chunks Next's runtime adds
      // later carry none: 'strict-dynamic' trusts them through the script that loaded them, and a
      // blocked one would show up as a violation below.
      const scriptNonces = await page.locator("script").evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce).filter(Boolean));
      expect(new Set(scriptNonces), path).toEqual(new Set([nonce]));
      await page.waitForLoadState("networkidle");
      expect(await violations(), path).toEqual([]);
    }
  });

  // /wallet and /billing stream behind their loading.tsx, which only a script swaps for the page, so
  // their forms are posted natively here with form.submit() (no submit event, so React does not
  // intercept it): the browser then follows the action's redirect as a form navigation, which
  // form-action governs.
  test("a native post of the top-up form follows the redirect to Checkout", async ({ page }) => {
    await signUpFreshUser(page, "native-wallet");
    const violations = await watchViolations(page);
    await page.goto("/wallet");
    await page.getByRole("button", { name: /^Buy Starter pack/ }).locator("xpath=ancestor::form").evaluate((form: HTMLFormElement) => form.submit());
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
    expect(await violations()).toEqual([]);
  });

  test("a native post of the billing page's forms follows the redirect to Checkout and to the portal", async ({ page }) => {
    await signUpFreshUser(page, "native-billing");
    const violations = await watchViolations(page);
    await page.goto("/billing");
    await page.getByRole("button", { name: /^Upgrade to Pro/ }).locator("xpath=ancestor::form").evaluate((form: HTMLFormElement) => form.submit());
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
    // Starting Checkout made the billing account, so Manage billing is there now.
    await page.goto("/billing");
    await page.getByRole("button", { name: "Manage billing" }).locator("xpath=ancestor::form").evaluate((form: HTMLFormElement) => form.submit());
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/portal/`));
    expect(await violations()).toEqual([]);
  });
});
