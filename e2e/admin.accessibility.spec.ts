// Runs as the ADMIN. An axe scan of every admin page (found on disk, e2e/accessibility.ts), with its
// dynamic segments filled with real ids, fails on any serious or critical violation; so do the admin
// forms with their errors showing. Public and user pages: e2e/accessibility.spec.ts.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { buyStarterPack, expectNoBlockingViolations, isDynamic, openForScan, pageRoutes, resolveRoute, type IdResolvers } from "./accessibility";
import { E2E_APP_URL, USER_STATE } from "./config";

const DEMO_EMAIL = "demo@billfold.test";
const adminRoutes = pageRoutes().filter((r) => r.route === "/admin" || r.route.startsWith("/admin/"));
// Every other page as the admin sees it (the header's Admin link, the admin's own wallet); pages with
// ids of a user's own (a receipt) are scanned as that user in e2e/accessibility.spec.ts.
const otherRoutes = pageRoutes().filter((r) => !adminRoutes.some((admin) => admin.route === r.route) && !isDynamic(r.route));

async function demoUserId(request: APIRequestContext): Promise<string> {
  const response = await request.get(`/api/admin/users?q=${encodeURIComponent(DEMO_EMAIL)}`);
  expect(response.status()).toBe(200);
  const { users } = (await response.json()) as { users: Array<{ id: string; email: string }> };
  const demo = users.find((user) => user.email === DEMO_EMAIL);
  if (!demo) throw new Error(`${DEMO_EMAIL} is not in the admin's user list`);
  return demo.id;
}

// The pages with ids show the most when the demo user has a paid top-up (its refund form) and the
// webhook log has events: the demo user buys a Starter pack first when it has none.
test.beforeAll(async ({ browser, request }) => {
  const id = await demoUserId(request);
  const detail = (await (await request.get(`/api/admin/users/${id}`)).json()) as { user: { purchases: Array<{ status: string }> } };
  if (detail.user.purchases.some((purchase) => purchase.status === "paid")) return;
  const context = await browser.newContext({ storageState: USER_STATE, baseURL: E2E_APP_URL });
  const page = await context.newPage();
  await buyStarterPack(page);
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

test("the walk finds the admin console's pages", () => {
  expect(adminRoutes.map((r) => r.route)).toEqual(
    expect.arrayContaining(["/admin", "/admin/transactions", "/admin/users", "/admin/users/[id]", "/admin/webhooks", "/admin/webhooks/[id]", "/admin/reconcile", "/admin/audit"]),
  );
});

for (const { route } of adminRoutes) {
  test(`${route} has no serious or critical violations`, async ({ page }) => {
    const resolved = await resolveRoute(route, ADMIN_IDS, page);
    test.skip("skip" in resolved, "skip" in resolved ? resolved.skip : "");
    if (!("url" in resolved)) return;
    await openForScan(page, resolved.url);
    await expectNoBlockingViolations(page, `${resolved.url} (admin)`);
  });
}

for (const { route } of otherRoutes) {
  test(`${route} as the admin has no serious or critical violations`, async ({ page }) => {
    await openForScan(page, route);
    const landed = new URL(page.url()).pathname;
    test.skip(landed !== route, `${route} redirects a signed-in admin to ${landed}, scanned on its own`);
    await expectNoBlockingViolations(page, `${route} (admin)`);
  });
}

test("a user's page with the adjustment form in error passes, its error tied to the amount", async ({ page }) => {
  await openForScan(page, `/admin/users/${await demoUserId(page.request)}`);
  const form = page.getByRole("form", { name: "Manual adjustment" });
  await form.getByLabel("Amount", { exact: true }).fill("1.234");
  await form.getByLabel("Reason").fill("Accessibility scan");
  await form.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(form.getByLabel("Amount", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Amount", { exact: true })).toHaveAttribute("aria-describedby", "adjustment-amount-error");
  await expect(form.getByLabel("Amount", { exact: true })).toHaveValue("1.234");
  await expectNoBlockingViolations(page, "/admin/users/[id] with an adjustment error");
});

test("the transactions page with a filter in error passes, its error tied to the field", async ({ page }) => {
  await openForScan(page, "/admin/transactions?minAmount=12.345");
  await expect(page.getByLabel(/Min amount/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel(/Min amount/)).toHaveAttribute("aria-describedby", "filter-minAmount-error");
  await expectNoBlockingViolations(page, "/admin/transactions with a filter error");
});
