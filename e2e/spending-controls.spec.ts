import { expect, test, type Page } from "@playwright/test";
import { expectNoBlockingViolations } from "./accessibility";
import { linkIn } from "../scripts/mail-inbox";
import { E2E_STRIPE_URL } from "./config";
import { FRESH_USER_PASSWORD, payOnHostedCheckout, signIn, signUpFreshUser, waitForEmail } from "./helpers";

// Spending controls on /wallet as a person uses them: a monthly spend limit of their own and a
// low-balance alert, set in the form; the demo spend button crossing the alert (banner and one email)
// and then the limit (a clear message, nothing debited); then a reservation taken through the reservations
// API, shown as available vs held. The user signs up fresh so the wallet is theirs, and verifies the
// address: low-balance emails go only to a verified one.

const CHECKOUT_URL = new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`);

/** Presses the demo Spend button (£0.50) and waits for the balance to become `balanceAfter`. */
async function spend(page: Page, balanceAfter: string) {
  await page.getByRole("button", { name: /^Spend .* \(demo\)$/ }).click();
  await expect(page.getByTestId("wallet-balance")).toHaveText(balanceAfter);
}

test("a spend limit and a low-balance alert set on /wallet: the banner when crossing the alert, a clear refusal at the limit", async ({ page }) => {
  // A long journey (sign-up, verification, sign-in, Checkout, four spends, an email, an axe scan at two
  // widths): on a loaded machine it ran past the default 30 s in its last step, the scan.
  test.setTimeout(60_000);
  const email = await signUpFreshUser(page, "controls");
  await page.goto(linkIn(await waitForEmail(email, "Verify your email for Billfold"), "/verify-email").toString());
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Your email address is verified.");
  // The first verification ends the sessions made before it (README, "What ends a session").
  await signIn(page, email, FRESH_USER_PASSWORD);
  await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expect(page.getByTestId("wallet-balance")).toHaveText("£5.00", { timeout: 15_000 });

  const controls = page.getByRole("region", { name: "Spending controls" });
  await expect(controls.getByTestId("spending-usage")).toHaveText(/This month you've spent £0\.00 of your Free plan's £100\.00 limit\. It resets on /);
  await controls.getByLabel("Monthly spend limit (£)").fill("1.50");
  await controls.getByLabel("Low-balance alert below (£)").fill("4.20");
  await controls.getByRole("button", { name: "Save spending controls" }).click();
  await expect(controls.getByRole("status")).toHaveText("Saved: a monthly limit of £1.50, an alert below £4.20.");
  await expect(controls.getByTestId("spending-usage")).toContainText("£0.00 of your £1.50 limit");
  await expect(controls.getByLabel("Monthly spend limit (£)")).toHaveValue("1.50");
  await expect(page.getByTestId("low-balance-banner")).toHaveCount(0); // £5.00 is above £4.20: nothing yet

  await spend(page, "£4.50");
  await expect(page.getByTestId("low-balance-banner")).toHaveCount(0);
  await spend(page, "£4.00"); // below £4.20
  const banner = page.getByTestId("low-balance-banner");
  await expect(banner).toHaveRole("status");
  await expect(banner).toHaveText("Your available balance is £4.00, below your low-balance alert of £4.20. Top up to keep spending, or change the alert.");
  await expect(banner.getByRole("link", { name: "Top up" })).toHaveAttribute("href", "#buy-heading");
  const alert = await waitForEmail(email, "Your Billfold balance is below £4.20");
  expect(alert.text).toContain("You have £4.00 left to spend");

  await spend(page, "£3.50"); // £1.50 spent: exactly the limit
  await expect(controls.getByTestId("spending-usage")).toContainText("£1.50 of your £1.50 limit");
  await page.getByRole("button", { name: /^Spend .* \(demo\)$/ }).click();
  await expect(page.getByRole("region", { name: "Wallet balance" }).getByRole("alert")).toHaveText("This would take you past the monthly spend limit you set. Raise it on your wallet page, or wait until it resets.");
  await page.reload();
  await expect(page.getByTestId("wallet-balance")).toHaveText("£3.50"); // nothing debited
  await expect(page.getByTestId("low-balance-banner")).toBeVisible();

  // No limit of my own any more; a job reserves £1.00 through the API (the browser's session signs the request).
  await controls.getByLabel("Monthly spend limit (£)").fill("");
  await controls.getByRole("button", { name: "Save spending controls" }).click();
  await expect(controls.getByRole("status")).toHaveText("Saved: no monthly limit of your own, an alert below £4.20.");
  const held = await page.request.post("/api/usage/reservations", { data: { amountMinor: 100, description: "e2e job" }, headers: { "Idempotency-Key": `e2e-${Date.now()}` } });
  expect(held.status()).toBe(201);
  expect(await held.json()).toMatchObject({ amountMinor: 100, status: "held", availableMinor: 250 });
  await page.reload();
  await expect(page.getByTestId("wallet-balance")).toHaveText("£3.50");
  await expect(page.getByTestId("available-balance")).toHaveText("£2.50 available · £1.00 set aside by open reservations");
  await expect(page.getByTestId("low-balance-banner")).toContainText("Your available balance is £2.50");
  await expect(controls.getByTestId("spending-usage")).toContainText("£1.50 of your Free plan's £100.00 limit, and £1.00 is set aside by open reservations");
  await expectNoBlockingViolations(page, "/wallet with the low-balance banner and a reservation");
});
