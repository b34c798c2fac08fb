import { expect, test } from "@playwright/test";

// /admin/reconcile against the e2e server's emulator: the comparison renders (whatever the other specs
// left in the range), a bad range keeps what was typed and says what is wrong, and the backfill reports
// its counts and lands in the audit log.

test("an ADMIN compares Stripe with the ledger and backfills missed events", async ({ page }) => {
  await page.goto("/admin/reconcile");
  await expect(page.getByRole("heading", { name: "Reconcile", exact: true })).toBeVisible();
  await expect(page.getByTestId("reconcile-checked")).toContainText("paid top-up session");

  await page.getByRole("button", { name: "Backfill missed events" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Fetched \d+ events from Stripe/ })).toBeVisible();
  // The page compared again after the backfill (what it finds depends on what the user specs left).
  await expect(page.getByTestId("reconcile-checked")).toContainText("paid top-up session");

  await page.goto("/admin/audit?action=BACKFILL");
  await expect(page.getByTestId("audit-row").first()).toContainText("Backfill");
  await expect(page.getByTestId("audit-row").first().getByTestId("audit-summary")).toContainText("from Stripe");
});

test("a bad range keeps the input and says what to fix, without comparing", async ({ page }) => {
  await page.goto("/admin/reconcile?from=2026-11-25T00:00&to=2026-11-24T00:00");
  await expect(page.getByText("The start must be before the end.")).toBeVisible();
  await expect(page.getByLabel("From (UTC)")).toHaveValue("2026-11-25T00:00");
  await expect(page.getByRole("alert").filter({ hasText: "Fix the range to compare." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Backfill missed events" })).toHaveCount(0);
});
