// Runs as the ADMIN: every admin page at 390 px, with its ids filled as the accessibility walk fills
// them and with data on it (the demo user has a paid top-up), must not scroll sideways once each
// scrollable region has been scrolled to its end (e2e/phone-width.ts). Other pages: e2e/phone-width.spec.ts.
import { expect, test } from "@playwright/test";
import { ADMIN_ID_RESOLVERS, ensureDemoUserPaidTopUp, pageRoutes, resolveRoute } from "./accessibility";
import { expectFitsPhone, PHONE } from "./phone-width";

const adminRoutes = pageRoutes().filter((r) => r.route === "/admin" || r.route.startsWith("/admin/"));

// Entries, the user's page (purchases, refund form) and the webhook log have rows when the demo
// user has a paid top-up: it buys a Starter pack first when it has none.
test.beforeAll(async ({ browser, request }) => ensureDemoUserPaidTopUp(browser, request));

for (const { route } of adminRoutes) {
  test(`${route} does not scroll sideways at 390 or 640 px`, async ({ page }) => {
    const resolved = await resolveRoute(route, ADMIN_ID_RESOLVERS, page);
    test.skip("skip" in resolved, "skip" in resolved ? resolved.skip : "");
    if (!("url" in resolved)) return;
    await page.setViewportSize(PHONE);
    await page.emulateMedia({ reducedMotion: "reduce" });
    const response = await page.goto(resolved.url);
    expect(response?.status(), resolved.url).toBe(200);
    await expectFitsPhone(page, `${resolved.url} (admin)`);
  });
}
