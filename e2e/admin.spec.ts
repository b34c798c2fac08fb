import { expect, test } from "@playwright/test";

test("an ADMIN sees the admin dashboard and the admin API", async ({ page }) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Admin", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "demo@billfold.test" })).toBeVisible();
  const response = await page.request.get("/api/admin/users");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.users.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining(["demo@billfold.test", "admin@billfold.test"]));
});
