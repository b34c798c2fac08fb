// Runs as the demo USER, and signed out in a fresh context with no stored state. An axe scan of every
// page (found on disk, e2e/accessibility.ts) fails on any serious or critical violation, and so does
// a scan of the forms with their errors showing, where aria-invalid and aria-describedby must hold up.
// The admin console's pages are scanned as the ADMIN in e2e/admin.accessibility.spec.ts.
import { expect, test, type Page } from "@playwright/test";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { buyStarterPack, expectNoBlockingViolations, isDynamic, openForScan, pageRoutes, resolveRoute, type IdResolvers, type Resolved } from "./accessibility";
import { E2E_APP_URL, E2E_STRIPE_URL, USER_STATE } from "./config";

const routes = pageRoutes();

// Pages whose content depends on a query parameter: scanned with it, showing their form.
const SAMPLE_TOKEN = "a".repeat(43); // the shape of an emailed token; spending it fails, which scanning never does
const QUERIES: Record<string, string> = {
  "/reset-password": `?token=${SAMPLE_TOKEN}`,
  "/verify-email": `?token=${SAMPLE_TOKEN}`,
};

const stripe = emulatorStripe(E2E_STRIPE_URL, "sk_test_billfold_e2e", { maxNetworkRetries: 0 });

/**
 * A paid purchase's receipt: from a link on the wallet when it shows one; otherwise the demo user buys
 * a Starter pack, and the purchase id comes from its Checkout session's metadata at Stripe.
 */
async function receiptUrl(page: Page): Promise<Resolved> {
  await page.goto("/wallet");
  const link = page.locator('a[href*="/wallet/receipts/"]').first();
  if ((await link.count()) > 0) return { url: new URL((await link.getAttribute("href")) ?? "", page.url()).pathname };
  const sessionId = await buyStarterPack(page);
  const purchaseId = (await stripe.checkout.sessions.retrieve(sessionId)).metadata?.billfoldPurchaseId;
  if (!purchaseId) return { skip: `Checkout session ${sessionId} names no purchase` };
  const url = `/wallet/receipts/${encodeURIComponent(purchaseId)}`;
  // The purchase is paid (and has a receipt) when Stripe's webhook lands, a moment after the return.
  await expect.poll(async () => (await page.request.get(url)).status(), { timeout: 15_000 }).toBe(200);
  return { url };
}

const USER_IDS: IdResolvers = { "/wallet/receipts/[id]": receiptUrl };

test.describe("signed out", () => {
  // A fresh context with no cookies: what a visitor sees.
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the walk finds the public pages", () => {
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(["/", "/signin", "/signup", "/signout", "/forgot-password", "/reset-password", "/verify-email"]));
  });

  for (const { route } of routes.filter((r) => !r.groups.includes("(dashboard)") && !isDynamic(r.route))) {
    test(`${route} has no serious or critical violations`, async ({ page }) => {
      await openForScan(page, `${route}${QUERIES[route] ?? ""}`);
      await expectNoBlockingViolations(page, `${route} (signed out)`);
    });
  }

  test("a page that does not exist has no serious or critical violations", async ({ page }) => {
    await openForScan(page, "/no-such-page", 404);
    await expectNoBlockingViolations(page, "the 404 page");
  });

  test("sign-up with every field in error: errors are tied to their fields and the page passes", async ({ page }) => {
    await openForScan(page, "/signup");
    await page.getByLabel("Name").fill("Ada");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#email-error")).toHaveText("Enter a valid email address.");
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-describedby", "email-error");
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expectNoBlockingViolations(page, "/signup with errors");
  });

  test("sign-in submitted empty: the page with its field errors passes", async ({ page }) => {
    await openForScan(page, "/signin");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#email-error")).toHaveText("Enter your email.");
    await expectNoBlockingViolations(page, "/signin with errors");
  });

  test("forgot-password with a bad address: the page with its field error passes", async ({ page }) => {
    await openForScan(page, "/forgot-password");
    await page.getByLabel("Email").fill("nobody");
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await expect(page.locator("#email-error")).toBeVisible();
    await expectNoBlockingViolations(page, "/forgot-password with errors");
  });
});

test.describe("as the demo user", () => {
  const userRoutes = routes.filter((r) => !r.route.startsWith("/admin"));

  // The wallet's parts (entries, purchases, chart) are scanned with rows in them: the demo user buys a
  // Starter pack and spends some of it first when its entry list is this short.
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ storageState: USER_STATE, baseURL: E2E_APP_URL });
    const page = await context.newPage();
    const entryCount = async () => {
      const response = await page.request.get("/api/wallet/entries?limit=5");
      expect(response.status(), "the demo user's wallet entry list").toBe(200);
      return ((await response.json()) as { entries: unknown[] }).entries.length;
    };
    if ((await entryCount()) < 2) {
      await buyStarterPack(page);
      await expect.poll(entryCount, { timeout: 15_000 }).toBeGreaterThan(0);
      await page.goto("/wallet");
      await page.getByRole("button", { name: /^Spend .* \(demo\)$/ }).click();
      await expect.poll(entryCount, { timeout: 10_000 }).toBeGreaterThan(1);
    }
    await context.close();
  });

  test("the walk finds the user's pages", () => {
    expect(userRoutes.map((r) => r.route)).toEqual(expect.arrayContaining(["/wallet", "/billing"]));
  });

  for (const { route } of userRoutes) {
    test(`${route} has no serious or critical violations`, async ({ page }) => {
      const resolved = await resolveRoute(route, USER_IDS, page);
      test.skip("skip" in resolved, "skip" in resolved ? resolved.skip : "");
      if (!("url" in resolved)) return;
      await openForScan(page, `${resolved.url}${QUERIES[route] ?? ""}`);
      // Signed in, /signin and /signup send you to your wallet, which has its own scan.
      const landed = new URL(page.url()).pathname;
      test.skip(landed !== resolved.url, `${resolved.url} redirects a signed-in user to ${landed}, scanned on its own`);
      await expectNoBlockingViolations(page, `${resolved.url} (user)`);
    });
  }

  test("the 403 page a USER gets for /admin has no serious or critical violations", async ({ page }) => {
    await openForScan(page, "/admin", 403);
    await expectNoBlockingViolations(page, "/admin as a USER (403)");
  });

  test("the wallet with a custom amount in error: the error is tied to the field and the page passes", async ({ page }) => {
    await openForScan(page, "/wallet");
    const amount = page.getByLabel(/^Custom amount/);
    await amount.fill("twelve");
    await page.getByRole("button", { name: "Top up" }).click();
    await expect(amount).toHaveAttribute("aria-invalid", "true");
    await expect(amount).toHaveValue("twelve");
    await expect(amount).toHaveAttribute("aria-describedby", "custom-amount-hint custom-amount-error");
    await expectNoBlockingViolations(page, "/wallet with a custom amount error");
  });
});
