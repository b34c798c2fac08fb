import { expect, test } from "@playwright/test";

test("an ADMIN sees the admin overview, its sections and the admin API", async ({ page }) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Admin", exact: true })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Admin" });
  for (const section of ["Overview", "Entries", "Users", "Webhooks", "Reconcile", "Audit log"]) {
    await expect(nav.getByRole("link", { name: section })).toBeVisible();
  }
  await expect(page.getByTestId("webhook-health")).toHaveText(/ok|degraded/);
  // Searched, not the first page: by the time this runs the other specs have signed up more people than a page holds.
  const response = await page.request.get("/api/admin/users?q=billfold.test");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.users.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining(["demo@billfold.test", "admin@billfold.test"]));
});
