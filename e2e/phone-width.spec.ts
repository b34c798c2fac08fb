// Every page at 390 px, signed out and as a user with something on every list (an invoice, a paid
// top-up and its receipt, wallet entry list): none may scroll sideways once each scrollable region has
// been scrolled to its end (e2e/phone-width.ts). Admin pages: e2e/admin.phone-width.spec.ts.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { buyStarterPack, isDynamic, pageRoutes, resolveRoute, type IdResolvers } from "./accessibility";
import { E2E_APP_URL, E2E_STRIPE_URL } from "./config";
import { payOnHostedCheckout, signUpFreshUser } from "./helpers";
import { expectFitsPhone, PHONE } from "./phone-width";

const routes = pageRoutes();
const SAMPLE_TOKEN = "a".repeat(43);
const QUERIES: Record<string, string> = {
  "/reset-password": `?token=${SAMPLE_TOKEN}`,
  "/verify-email": `?token=${SAMPLE_TOKEN}`,
};

/** Opens a page at phone size; a page that redirects (signed in, /signin goes to the wallet) is measured where it lands. */
async function open(page: Page, url: string): Promise<void> {
  await page.setViewportSize(PHONE);
  await page.emulateMedia({ reducedMotion: "reduce" });
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  for (const { route } of routes.filter((r) => !r.groups.includes("(dashboard)") && !isDynamic(r.route))) {
    test(`${route} does not scroll sideways at 390 or 640 px`, async ({ page }) => {
      await open(page, `${route}${QUERIES[route] ?? ""}`);
      await expectFitsPhone(page, `${route} (signed out)`);
    });
  }
});

test.describe("as a user with an invoice, a receipt and entries", () => {
  // A user of its own, so the demo user's plan (which other specs rely on) is left alone.
  const STATE = path.join("test-results", "phone-width-user.json");
  test.use({ storageState: STATE });
  const userRoutes = routes.filter((r) => !r.route.startsWith("/admin"));

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(90_000);
    mkdirSync(path.dirname(STATE), { recursive: true });
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, baseURL: E2E_APP_URL });
    const page = await context.newPage();
    await signUpFreshUser(page, "phone-width");
    // A Pro subscription: its first invoice is a row on /billing.
    await page.goto("/billing");
    await page.getByRole("button", { name: /^Upgrade to Pro/ }).click();
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    await expect(page).toHaveURL(/\/billing/);
    await expect(page.getByTestId("invoice-row").first()).toBeVisible({ timeout: 15_000 });
    // A paid top-up: a purchase with a receipt, and more entries.
    await buyStarterPack(page);
    await page.goto("/wallet");
    await expect(page.locator('a[href*="/wallet/receipts/"]').first()).toBeVisible({ timeout: 15_000 });
    await context.storageState({ path: STATE });
    await context.close();
  });

  const USER_IDS: IdResolvers = {
    "/wallet/receipts/[id]": async (page) => {
      await page.goto("/wallet");
      const href = await page.locator('a[href*="/wallet/receipts/"]').first().getAttribute("href");
      return href ? { url: new URL(href, page.url()).pathname } : { skip: "the user has no receipt" };
    },
  };

  for (const { route } of userRoutes) {
    test(`${route} does not scroll sideways at 390 or 640 px`, async ({ page }) => {
      const resolved = await resolveRoute(route, USER_IDS, page);
      test.skip("skip" in resolved, "skip" in resolved ? resolved.skip : "");
      if (!("url" in resolved)) return;
      await open(page, `${resolved.url}${QUERIES[route] ?? ""}`);
      await expectFitsPhone(page, `${new URL(page.url()).pathname} (user)`);
    });
  }

  test("/billing lists the invoice as a card on a phone, with its amount and status in view", async ({ page }) => {
    await open(page, "/billing");
    const invoice = page.getByTestId("invoice-card").first();
    await expect(invoice).toBeVisible();
    await expect(invoice).toContainText("£15.00");
    await expect(invoice).toContainText("paid");
    // Scrolled to, the whole card is on screen: its right edge, and its Stripe link, within 390 px.
    await invoice.scrollIntoViewIfNeeded();
    const box = await invoice.boundingBox();
    expect(box && box.x + box.width, "the invoice's right edge").toBeLessThanOrEqual(PHONE.width);
    await expect(invoice.getByRole("link", { name: /^View/ })).toBeInViewport({ ratio: 1 });
  });
});
