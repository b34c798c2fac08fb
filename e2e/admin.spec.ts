import { expect, test } from "@playwright/test";

test("an ADMIN sees the admin dashboard and the admin API", async ({ page }) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Admin", exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Users" }).getByRole("cell", { name: "demo@billfold.test" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Webhook events" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Transactions" })).toBeVisible();
  const response = await page.request.get("/api/admin/users");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.users.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining(["demo@billfold.test", "admin@billfold.test"]));
});

// Runs after the user project (see playwright.config.ts), so top-ups have produced events and entries.
test("an ADMIN sees webhook events and every user's transactions, without payloads", async ({ page }) => {
  await page.goto("/admin");
  const events = page.getByRole("table", { name: "Webhook events" });
  await expect(events.getByRole("row").filter({ hasText: "checkout.session.completed" }).first()).toBeVisible();
  await expect(events.getByText("processed").first()).toBeVisible();
  const transactions = page.getByRole("table", { name: "Transactions" });
  await expect(transactions.getByRole("row").filter({ hasText: "Top-up" }).first()).toBeVisible();
  const html = await (await page.request.get("/admin")).text();
  expect(html).toContain("checkout.session.completed");
  expect(html).not.toContain("payment_method_details"); // event payloads stay in the database
});
