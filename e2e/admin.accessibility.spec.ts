// Runs as the ADMIN. An axe scan of every admin page (found on disk, e2e/accessibility.ts), with its
// dynamic segments filled with real ids, fails on any serious or critical violation; so do the admin
// forms with their errors showing. Public and user pages: e2e/accessibility.spec.ts.
import { expect, test } from "@playwright/test";
import { ADMIN_ID_RESOLVERS, demoUserId, ensureDemoUserPaidTopUp, expectNoBlockingViolations, isDynamic, openForScan, pageRoutes, resolveRoute } from "./accessibility";

const adminRoutes = pageRoutes().filter((r) => r.route === "/admin" || r.route.startsWith("/admin/"));
// Every other page as the admin sees it (the header's Admin link, the admin's own wallet); pages with
// ids of a user's own (a receipt) are scanned as that user in e2e/accessibility.spec.ts.
const otherRoutes = pageRoutes().filter((r) => !adminRoutes.some((admin) => admin.route === r.route) && !isDynamic(r.route));

// The pages with ids show the most when the demo user has a paid top-up (its refund form) and the
// webhook log has events: the demo user buys a Starter pack first when it has none.
test.beforeAll(async ({ browser, request }) => ensureDemoUserPaidTopUp(browser, request));

test("the walk finds the admin console's pages", () => {
  expect(adminRoutes.map((r) => r.route)).toEqual(
    expect.arrayContaining(["/admin", "/admin/entries", "/admin/users", "/admin/users/[id]", "/admin/webhooks", "/admin/webhooks/[id]", "/admin/reconcile", "/admin/audit"]),
  );
});

for (const { route } of adminRoutes) {
  test(`${route} has no serious or critical violations`, async ({ page }) => {
    const resolved = await resolveRoute(route, ADMIN_ID_RESOLVERS, page);
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

test("the entries page with a filter in error passes, its error tied to the field", async ({ page }) => {
  await openForScan(page, "/admin/entries?minAmount=12.345");
  await expect(page.getByLabel(/Min amount/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel(/Min amount/)).toHaveAttribute("aria-describedby", "filter-minAmount-error");
  await expectNoBlockingViolations(page, "/admin/entries with a filter error");
});
