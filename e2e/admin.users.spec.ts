import { expect, test, type Page } from "@playwright/test";
import { payOnHostedCheckout, signUpFreshUser } from "./helpers";

// The admin's users console: find a customer, adjust their wallet with a reason (audited), and refund
// part of a top-up through Stripe; the wallet follows when the emulator's refund webhook arrives.

/** Reads a balance like "£12.50" or "-£1.00" as minor units, for before/after comparisons. */
function minorOf(text: string): number {
  const match = /(-?)£([\d,]+)\.(\d{2})/.exec(text);
  if (!match) throw new Error(`not a GBP amount: ${text}`);
  const [, sign = "", whole = "0", pence = "0"] = match;
  return (sign ? -1 : 1) * (Number(whole.replaceAll(",", "")) * 100 + Number(pence));
}

async function openUser(page: Page, search: string, email: string) {
  await page.goto("/admin/users");
  await page.getByLabel("Email contains").fill(search);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/admin\/users\?q=/);
  await page.getByRole("link", { name: email }).click();
  await expect(page.getByRole("heading", { name: email })).toBeVisible();
}

test("an admin finds a user, credits their wallet with a reason, and sees it in the audit log", async ({ page }) => {
  await page.goto("/admin/users?q=no-such-user-anywhere");
  await expect(page.getByText("No user's email contains")).toBeVisible();

  await openUser(page, "DEMO@BILLFOLD", "demo@billfold.test"); // any part of the address, any case
  const balance = page.getByTestId("wallet-balance-GBP");
  const before = minorOf(await balance.innerText());
  const reason = `Goodwill credit ${Date.now()}`;
  const form = page.getByRole("form", { name: "Manual adjustment" });

  // Bad input keeps what was typed.
  await form.getByLabel("Amount", { exact: true }).fill("1.234");
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(form.getByRole("alert")).toBeVisible();
  await expect(form.getByLabel("Reason")).toHaveValue(reason);
  await expect(form.getByLabel("Amount", { exact: true })).toHaveValue("1.234");

  await form.getByLabel("Credit").check();
  await form.getByLabel("Amount", { exact: true }).fill("12.50");
  await form.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(form.getByRole("status")).toContainText("Credited £12.50. The balance is now");
  await expect(balance).toHaveText(`£${((before + 1250) / 100).toFixed(2)}`);
  const entry = page.getByTestId("ledger-entry").first();
  await expect(entry).toContainText("Adjustment");
  await expect(entry).toContainText(reason);
  await expect(entry).toContainText("£12.50");

  await page.goto("/admin/audit?action=ADJUSTMENT");
  const row = page.getByTestId("audit-row").filter({ hasText: reason });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("admin@billfold.test");
  // Readable: the person it concerned, linked; what happened, in money; the stored JSON behind a toggle.
  await expect(row.getByRole("link", { name: "demo@billfold.test" })).toHaveAttribute("href", /^\/admin\/users\//);
  await expect(row.getByTestId("audit-summary")).toHaveText(/^Credited £12\.50; balance after: £[\d,]+\.\d\d$/);
  await expect(row.getByText('"amountMinor": 1250')).toBeHidden();
  await row.getByText("Stored record").click();
  await expect(row.getByText('"amountMinor": 1250')).toBeVisible();
});

test("an admin refunds part of a top-up once, however often the form is clicked, and the wallet follows Stripe", async ({ page, browser }) => {
  // A customer with a paid £20.00 top-up, in their own browser.
  const customer = await browser.newPage({ storageState: { cookies: [], origins: [] } });
  const email = await signUpFreshUser(customer, "refund-console");
  await customer.getByRole("button", { name: "Buy Standard pack for £20.00" }).click();
  await payOnHostedCheckout(customer, "4242 4242 4242 4242");
  await expect(customer.getByTestId("wallet-balance")).toHaveText("£20.00", { timeout: 10_000 });
  await customer.close();

  await openUser(page, email, email);
  await expect(page.getByTestId("wallet-balance-GBP")).toHaveText("£20.00");
  const purchase = page.getByTestId("purchase-row").first();
  await expect(purchase.getByTestId("refunded")).toHaveText("£0.00");
  const form = purchase.getByRole("form");
  await expect(form.getByLabel(/Amount/)).toHaveValue("20.00"); // the whole refundable amount by default
  await form.getByLabel(/Amount/).fill("5.00");
  await form.getByLabel("Reason").fill("Customer asked for part back");
  await form.getByRole("button", { name: "Refund" }).dblclick();
  await expect(form.getByRole("status")).toContainText("Refund of £5.00 requested; the wallet changes when Stripe confirms it.");

  // The emulator delivers charge.refunded to the app; the balance drops by exactly £5.00, once.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("wallet-balance-GBP")).toHaveText("£15.00", { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("purchase-row").first().getByTestId("refunded")).toHaveText("£5.00");
  await expect(page.getByTestId("ledger-entry").filter({ hasText: "Refund" })).toHaveCount(1);
  await expect(page.getByTestId("purchase-row").first().getByRole("form").getByLabel(/Amount/)).toHaveValue("15.00");

  await page.goto("/admin/audit?action=REFUND");
  const refundRow = page.getByTestId("audit-row").filter({ hasText: "Customer asked for part back" });
  await expect(refundRow).toHaveCount(1);
  await expect(refundRow.getByTestId("audit-summary")).toHaveText("Refunded £5.00 of a £20.00 top-up");
  await expect(refundRow.getByRole("link", { name: email })).toBeVisible();
});
