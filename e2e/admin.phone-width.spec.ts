// Runs as the ADMIN: every admin page at 390 px, with its ids filled as the accessibility walk fills
// them and with data on it (the demo user has a paid top-up), must not scroll sideways once each
// scrollable region has been scrolled to its end (e2e/phone-width.ts). Other pages: e2e/phone-width.spec.ts.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { buyStarterPack, pageRoutes, resolveRoute, type IdResolvers } from "./accessibility";
import { E2E_APP_URL, USER_STATE } from "./config";
import { expectFitsPhone, PHONE } from "./phone-width";

const DEMO_EMAIL = "demo@billfold.test";
const adminRoutes = pageRoutes().filter((r) => r.route === "/admin" || r.route.startsWith("/admin/"));

async function demoUserId(request: APIRequestContext): Promise<string> {
  const response = await request.get(`/api/admin/users?q=${encodeURIComponent(DEMO_EMAIL)}`);
  expect(response.status()).toBe(200);
  const { users } = (await response.json()) as { users: Array<{ id: string; email: string }> };
  const demo = users.find((user) => user.email === DEMO_EMAIL);
  if (!demo) throw new Error(`${DEMO_EMAIL} is not in the admin's user list`);
  return demo.id;
}

// Transactions, the user's page (purchases, refund form) and the webhook log have rows when the demo
// user has a paid top-up: it buys a Starter pack first when it has none.
test.beforeAll(async ({ browser, request }) => {
  const id = await demoUserId(request);
  const detail = (await (await request.get(`/api/admin/users/${id}`)).json()) as { user: { purchases: Array<{ status: string }> } };
  if (detail.user.purchases.some((purchase) => purchase.status === "paid")) return;
  const context = await browser.newContext({ storageState: USER_STATE, baseURL: E2E_APP_URL });
  await buyStarterPack(await context.newPage());
  await context.close();
  await expect
    .poll(async () => ((await (await request.get(`/api/admin/users/${id}`)).json()) as typeof detail).user.purchases.some((p) => p.status === "paid"), { timeout: 15_000 })
    .toBe(true);
});

const ADMIN_IDS: IdResolvers = {
  "/admin/users/[id]": async (page: Page) => ({ url: `/admin/users/${await demoUserId(page.request)}` }),
  "/admin/webhooks/[id]": async (page: Page) => {
    const response = await page.request.get("/api/admin/webhooks/events?limit=1");
    const { events } = (await response.json()) as { events: Array<{ id: string }> };
    return events[0] ? { url: `/admin/webhooks/${events[0].id}` } : { skip: "the webhook log has no event to open" };
  },
};

for (const { route } of adminRoutes) {
  test(`${route} does not scroll sideways at 390 or 640 px`, async ({ page }) => {
    const resolved = await resolveRoute(route, ADMIN_IDS, page);
    test.skip("skip" in resolved, "skip" in resolved ? resolved.skip : "");
    if (!("url" in resolved)) return;
    await page.setViewportSize(PHONE);
    await page.emulateMedia({ reducedMotion: "reduce" });
    const response = await page.goto(resolved.url);
    expect(response?.status(), resolved.url).toBe(200);
    await expectFitsPhone(page, `${resolved.url} (admin)`);
  });
}
