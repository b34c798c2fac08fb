import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type FrameLocator, type Page } from "@playwright/test";
import { z } from "zod";
import { STRIPE_JS_FALLBACK_NOTICE } from "../components/checkout/fallback-notice";
import { appServerEnv } from "../scripts/app-server-env";
import { expectNoBlockingViolations } from "./accessibility";
import { E2E_APP_URL, E2E_EMBEDDED_APP_PORT, E2E_EMBEDDED_APP_URL, E2E_SERVER_RUNTIME_FILE, E2E_STRIPE_PORT, E2E_STRIPE_URL } from "./config";
import { signUpFreshUser } from "./helpers";

// Paying without leaving Billfold: each journey (a pack, a custom amount, a plan upgrade, saving a
// card) on the second app instance, whose checkout UI is the default (embedded, Stripe's form in a
// dialog of the page), and the same journey on the first instance, configured hosted
// (BILLFOLD_CHECKOUT_UI=hosted, scripts/e2e-server.ts), where the browser goes to the emulator's page
// and back. Both share the database, the emulator and the signed-in cookie (per host, not per port).
// Embedded, the page is never reloaded, the top-level address never leaves the app's origin, and the
// page reports no CSP violation; with the dialog open it is axe-clean at 1280 and 390 px.

const MODES = [
  { ui: "embedded", appUrl: E2E_EMBEDDED_APP_URL },
  { ui: "hosted", appUrl: E2E_APP_URL },
] as const;

type Mode = (typeof MODES)[number];

test.beforeAll(async ({ request }) => {
  // The webServer waits for the first instance only; the second starts beside it.
  await expect.poll(async () => (await request.get(`${E2E_EMBEDDED_APP_URL}/api/health`).catch(() => null))?.status(), { timeout: 60_000 }).toBe(200);
});

/** Watches a page for what the embedded journeys promise: no reload, no top-level address off the app, no CSP violation. */
async function watchPage(page: Page, mode: Mode) {
  const topLevel: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) topLevel.push(frame.url());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, "__cspViolations", { value: seen });
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`));
  });
  return {
    /** Marks the document, so that a reload (which would lose the mark) shows. */
    markDocument: () => page.evaluate(() => Object.defineProperty(window, "__sameDocument", { value: true })),
    async expectStayed() {
      if (mode.ui !== "embedded") return;
      expect(await page.evaluate(() => Reflect.get(window, "__sameDocument"))).toBe(true);
      expect(topLevel.filter((url) => !url.startsWith(`${mode.appUrl}/`))).toEqual([]);
      expect(await page.evaluate(() => Reflect.get(window, "__cspViolations"))).toEqual([]);
    },
  };
}

/** Where the card is typed: Stripe's frame in the page's dialog (embedded), or the emulator's hosted page. */
async function checkoutSurface(page: Page, mode: Mode): Promise<Page | FrameLocator> {
  if (mode.ui === "hosted") {
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
    return page;
  }
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('iframe[title="Embedded Checkout"]')).toHaveAttribute("src", new RegExp(`^${E2E_STRIPE_URL}/embedded-checkout/cs_test_`));
  const frame = dialog.frameLocator('iframe[title="Embedded Checkout"]');
  await expect(frame.getByLabel("Card number")).toBeVisible();
  return frame;
}

async function pay(surface: Page | FrameLocator, cardNumber: string, button = "Pay") {
  await surface.getByLabel("Card number").fill(cardNumber);
  await surface.getByRole("button", { name: button }).click();
}

for (const mode of MODES) {
  test.describe(`${mode.ui} Checkout`, () => {
    test.use({ baseURL: mode.appUrl });
    // Each journey signs a buyer up, pays through the emulator and waits for its webhooks.
    test.describe.configure({ timeout: 60_000 });

    test("a pack: a declined card says so in plain words, 4242 in the same checkout pays, and the balance updates", async ({ page }) => {
      await signUpFreshUser(page, `${mode.ui}-pack`);
      const watch = await watchPage(page, mode);
      await page.goto("/wallet");
      await watch.markDocument();
      await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
      const surface = await checkoutSurface(page, mode);
      await pay(surface, "4000 0000 0000 0002");
      await expect(surface.getByRole("alert")).toContainText("Your card was declined.");
      await pay(surface, "4242 4242 4242 4242");

      await expect(page.getByTestId("checkout-status")).toContainText("Payment received. £5.00 added to your wallet.", { timeout: 10_000 });
      await expect(page.getByTestId("wallet-balance")).toHaveText("£5.00", { timeout: 5_000 });
      await expect(page).toHaveURL(/\/wallet$/);
      await expect(page.getByRole("dialog")).toHaveCount(0);
      await expect(page.getByTestId("purchase-row").first().getByTestId("purchase-status")).toHaveText("Paid");
      await watch.expectStayed();
    });

    test("a custom amount, left and resumed from its link, through 3-D Secure: the challenge is on Stripe's form, and completing it pays", async ({ page }) => {
      await signUpFreshUser(page, `${mode.ui}-custom`);
      const watch = await watchPage(page, mode);
      await page.goto("/wallet");
      await watch.markDocument();
      await page.getByLabel("Custom amount (£)").fill("12.50");
      await page.getByRole("button", { name: "Top up" }).click();
      await checkoutSurface(page, mode);
      // Left without paying (the tab was reloaded), the purchase is resumed from its link in the list.
      await page.goto("/wallet");
      await page.getByTestId("purchase-row").first().getByRole("link", { name: "Resume payment" }).click();
      const surface = await checkoutSurface(page, mode);
      if (mode.ui === "embedded") await expect(page).toHaveURL(/\/wallet$/);
      await watch.markDocument();
      await expect(surface.getByText("£12.50").first()).toBeVisible();
      await pay(surface, "4000 0027 6000 3184");
      await expect(surface.getByRole("heading", { name: "3D Secure authentication" })).toBeVisible();
      await surface.getByRole("button", { name: "Complete authentication" }).click();

      await expect(page.getByTestId("checkout-status")).toContainText("Payment received. £12.50 added to your wallet.", { timeout: 10_000 });
      await expect(page.getByTestId("wallet-balance")).toHaveText("£12.50", { timeout: 5_000 });
      await watch.expectStayed();
    });

    test("closing the checkout cancels the purchase at Stripe, and the list says canceled", async ({ page }) => {
      await signUpFreshUser(page, `${mode.ui}-close`);
      const watch = await watchPage(page, mode);
      await page.goto("/wallet");
      await watch.markDocument();
      const buy = page.getByRole("button", { name: "Buy Standard pack for £20.00" });
      await buy.click();
      const surface = await checkoutSurface(page, mode);
      await expect(surface.getByText("£20.00").first()).toBeVisible();
      if (mode.ui === "embedded") {
        const dialog = page.getByRole("dialog", { name: "Add credit" });
        await expect(dialog.getByRole("button", { name: "Close" })).toBeVisible();
        await expectNoBlockingViolations(page, "/wallet with the checkout dialog open");
        await page.setViewportSize({ width: 1280, height: 720 });
        await page.keyboard.press("Escape");
        await expect(dialog).toHaveCount(0);
        // Focus goes back to what opened the dialog.
        await expect(buy).toBeFocused();
      } else {
        await page.getByRole("link", { name: "Cancel" }).click();
      }
      await expect(page.getByTestId("checkout-status")).toContainText("Checkout canceled. You canceled this checkout. Nothing was charged.", { timeout: 10_000 });
      await expect(page.getByTestId("purchase-row").first().getByTestId("purchase-status")).toHaveText("Canceled");
      await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
      await watch.expectStayed();
    });

    test("a plan upgrade: closing the checkout cancels it, then 4242 makes the plan Pro", async ({ page }) => {
      await signUpFreshUser(page, `${mode.ui}-upgrade`);
      const watch = await watchPage(page, mode);
      await page.goto("/billing");
      await watch.markDocument();
      const upgrade = page.getByRole("button", { name: "Upgrade to Pro for £15.00 a month" });
      await upgrade.click();
      let surface = await checkoutSurface(page, mode);
      if (mode.ui === "embedded") {
        const dialog = page.getByRole("dialog", { name: "Upgrade to Pro" });
        await expectNoBlockingViolations(page, "/billing with the checkout dialog open");
        await page.setViewportSize({ width: 1280, height: 720 });
        await dialog.getByRole("button", { name: "Close" }).click();
        await expect(dialog).toHaveCount(0);
      } else {
        await page.getByRole("link", { name: "Cancel" }).click();
      }
      await expect(page.getByRole("status").filter({ hasText: "Checkout canceled. Nothing was charged; you're still on the Free plan." })).toBeVisible();

      await upgrade.click();
      surface = await checkoutSurface(page, mode);
      await pay(surface, "4242 4242 4242 4242");
      await expect(page.getByTestId("current-plan")).toHaveText("Pro", { timeout: 15_000 });
      await expect(page.getByTestId("billing-sync-notice")).toHaveText("Thanks! You're on the Pro plan.");
      await watch.expectStayed();
    });

    test("saving a card for auto-recharge: closing saves none; a decline says so, 3-D Secure in the same checkout saves the card, shown when Stripe is done", async ({ page }) => {
      await signUpFreshUser(page, `${mode.ui}-card`);
      const watch = await watchPage(page, mode);
      await page.goto("/wallet");
      await watch.markDocument();
      const section = page.locator("#auto-recharge");
      const saveCard = section.getByRole("button", { name: "Save a card" });
      await saveCard.click();
      let surface = await checkoutSurface(page, mode);
      if (mode.ui === "embedded") {
        const dialog = page.getByRole("dialog", { name: "Save a card for auto-recharge" });
        await dialog.getByRole("button", { name: "Close" }).click();
        await expect(dialog).toHaveCount(0);
      } else {
        await page.getByRole("link", { name: "Cancel" }).click();
      }
      await expect(page.getByRole("status").filter({ hasText: "No card was saved." })).toBeVisible({ timeout: 10_000 });
      await expect(section.getByTestId("auto-recharge-card")).toHaveCount(0);

      await saveCard.click();
      surface = await checkoutSurface(page, mode);
      await pay(surface, "4000 0000 0000 0002", "Save card");
      await expect(surface.getByRole("alert")).toContainText("Your card was declined.");
      await pay(surface, "4000 0027 6000 3184", "Save card");
      await expect(surface.getByRole("heading", { name: "3D Secure authentication" })).toBeVisible();
      await surface.getByRole("button", { name: "Complete authentication" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Card saved. Turn on auto-recharge below to use it." })).toBeVisible({ timeout: 10_000 });
      await expect(section.getByTestId("auto-recharge-card")).toHaveText("Visa •••• 3184");
      await watch.expectStayed();
    });
  });
}

// With real keys nothing in the app is emulator-only: a third start of the same build, with Stripe's
// own API (STRIPE_API_HOST unset), a real-looking sk_test_/pk_test_ pair and the default UI, asks for
// Stripe's own script (Playwright answers it with a 404, as a blocked script would be), then tells
// the person they will pay on Stripe's page and leaves the forms asking for the hosted page. Loading
// the wallet needs no call to Stripe's API, which this machine cannot reach.
test.describe("with real-looking Stripe keys and no emulator", () => {
  const port = E2E_EMBEDDED_APP_PORT + 1;
  const appUrl = `http://127.0.0.1:${port}`;
  let app: ChildProcess | undefined;

  test.beforeAll(async ({ request }) => {
    const { databaseUrl } = z.object({ databaseUrl: z.string() }).parse(JSON.parse(readFileSync(E2E_SERVER_RUNTIME_FILE, "utf8")));
    const env = appServerEnv({ databaseUrl, appUrl, stripeApiPort: E2E_STRIPE_PORT, webhookSecret: "whsec_billfold_real_keys_check", cronSecret: "billfold-real-keys-cron-0123456789" });
    app = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "--port", String(port), "--hostname", "127.0.0.1"], {
      stdio: "ignore",
      env: {
        ...env,
        STRIPE_API_HOST: undefined,
        STRIPE_API_PORT: undefined,
        STRIPE_API_PROTOCOL: undefined,
        STRIPE_SECRET_KEY: "sk_test_51BillfoldRealLookingKey0123456789",
        NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_51BillfoldRealLookingKey0123456789",
        BILLFOLD_CHECKOUT_UI: undefined,
      },
    });
    await expect.poll(async () => (await request.get(`${appUrl}/api/health`).catch(() => null))?.status(), { timeout: 60_000 }).toBe(200);
  });

  test.afterAll(() => {
    app?.kill("SIGTERM");
  });

  test("the wallet asks for https://js.stripe.com/endive/stripe.js, and when it cannot load, pays on the hosted page", async ({ page }) => {
    const asked: string[] = [];
    await page.route("https://js.stripe.com/**", (route) => {
      asked.push(route.request().url());
      return route.fulfill({ status: 404, contentType: "text/plain", body: "" });
    });
    const emulatorRequests: string[] = [];
    page.on("request", (request) => {
      if (request.url().startsWith(E2E_STRIPE_URL)) emulatorRequests.push(request.url());
    });
    await page.goto(`${appUrl}/wallet`);
    await expect.poll(() => asked).toContain("https://js.stripe.com/endive/stripe.js");
    await expect(page.getByTestId("checkout-fallback-notice").first()).toHaveText(STRIPE_JS_FALLBACK_NOTICE, { timeout: 15_000 });
    for (const field of await page.locator('input[name="checkoutUi"]').all()) await expect(field).toHaveValue("hosted");
    const policy = (await page.request.get(`${appUrl}/wallet`)).headers()["content-security-policy"] ?? "";
    expect(policy).toContain("https://js.stripe.com");
    expect(policy).not.toContain(E2E_STRIPE_URL);
    expect(emulatorRequests).toEqual([]);
  });
});
