import { expect, test } from "@playwright/test";
import { formatDateTime } from "../lib/core/format";
import { signUpFreshUser } from "./helpers";

// Promotional credit from the console: an admin gives a fresh user credit that expires, the user sees
// it grant by grant and in the upcoming expiries on /wallet; the admin voids it with a reason, the
// balance drops and the entry list says "Credit voided"; the audit log lists both actions.

test("an admin issues promotional credit with an expiry, the user sees it, the admin voids it, and both are audited", async ({ page, browser }) => {
  const customer = await browser.newPage({ storageState: { cookies: [], origins: [] } });
  const email = await signUpFreshUser(customer, "grants-console");
  await expect(customer.getByTestId("wallet-balance")).toHaveText("£0.00");
  await expect(customer.getByText("No credit yet")).toBeVisible();

  const expiresOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const expiryText = formatDateTime(new Date(`${expiresOn}T23:59:59.999Z`)); // the end of that day, UTC
  const grantReason = `Launch promo ${Date.now()}`;
  const voidReason = `Promo withdrawn ${Date.now()}`;

  await page.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  await page.getByRole("link", { name: email }).click();
  await expect(page.getByRole("heading", { name: email })).toBeVisible();
  const form = page.getByRole("form", { name: "Issue promotional credit" });
  await form.getByLabel("Amount", { exact: true }).fill("7.50");
  await form.getByLabel("Expires on (optional)").fill(expiresOn);
  await form.getByLabel("Reason").fill(grantReason);
  await form.getByRole("button", { name: "Issue promotional credit" }).click();
  await expect(form.getByRole("status")).toContainText(`Granted £7.50 of promotional credit, expiring ${expiryText} UTC.`);
  await expect(page.getByTestId("wallet-balance-GBP")).toHaveText("£7.50");
  const adminRow = page.getByTestId("admin-grant-row").filter({ hasText: "Promotional credit" });
  await expect(adminRow).toHaveCount(1);
  await expect(adminRow.getByTestId("grant-state")).toHaveAttribute("data-state", "active");
  await expect(adminRow).toContainText(expiryText);

  await customer.goto("/wallet");
  await expect(customer.getByTestId("wallet-balance")).toHaveText("£7.50");
  const grant = customer.getByTestId("grant-row");
  await expect(grant).toHaveCount(1);
  await expect(grant).toContainText("Promotional credit");
  await expect(grant.getByTestId("grant-remaining")).toHaveText("£7.50");
  await expect(grant.getByTestId("grant-expiry")).toContainText(expiryText);
  const upcoming = customer.getByTestId("upcoming-expiries");
  await expect(upcoming).toContainText("£7.50 of credit expires in the next 30 days");
  await expect(upcoming.getByTestId("upcoming-expiry")).toContainText(`£7.50 promotional credit on ${expiryText} UTC`);

  const voidForm = adminRow.getByRole("form");
  await voidForm.getByLabel("Reason").fill(voidReason);
  await voidForm.getByRole("button", { name: "Void" }).click();
  await expect(page.getByTestId("wallet-balance-GBP")).toHaveText("£0.00");
  const voided = page.getByTestId("admin-grant-row").filter({ hasText: "Promotional credit" });
  await expect(voided.getByTestId("grant-state")).toHaveAttribute("data-state", "voided");
  await expect(voided).toContainText(voidReason);
  await expect(voided.getByRole("button", { name: "Void" })).toHaveCount(0);

  await customer.reload();
  await expect(customer.getByTestId("wallet-balance")).toHaveText("£0.00");
  await expect(customer.getByTestId("upcoming-expiries")).toHaveCount(0);
  await expect(customer.getByTestId("grant-row").getByTestId("grant-state")).toHaveAttribute("data-state", "voided");
  await expect(customer.getByTestId("grant-row")).toContainText(`Reason: ${voidReason}`);
  const voidEntry = customer.getByTestId("ledger-row").filter({ hasText: "Credit voided" });
  await expect(voidEntry).toHaveCount(1);
  await expect(voidEntry).toContainText(voidReason);
  await expect(voidEntry.getByTestId("ledger-amount")).toHaveText("-£7.50");
  await expect(customer.getByTestId("ledger-row").filter({ hasText: "Promotional credit" }).getByTestId("ledger-amount")).toHaveText("+£7.50");
  await customer.close();

  await page.goto("/admin/audit?action=GRANT");
  const granted = page.getByTestId("audit-row").filter({ hasText: grantReason });
  await expect(granted).toHaveCount(1);
  await expect(granted).toContainText("admin@billfold.test");
  await expect(granted.getByTestId("audit-summary")).toContainText("Granted £7.50 of promotional credit");
  await page.goto("/admin/audit?action=VOID");
  const voidAudit = page.getByTestId("audit-row").filter({ hasText: voidReason });
  await expect(voidAudit).toHaveCount(1);
  await expect(voidAudit.getByTestId("audit-summary")).toContainText("Voided £7.50 of promotional credit");
});
