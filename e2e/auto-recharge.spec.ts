import { expect, test, type Page } from "@playwright/test";
import { E2E_STRIPE_URL } from "./config";
import { expectCheckoutReturn, payOnHostedCheckout, signUpFreshUser, waitForEmail } from "./helpers";

// Auto-recharge in Chromium against the emulator: a card saved on Stripe's hosted setup page, a spend
// that takes the balance below the threshold, and the off-session charge (made after the spend's
// answer) credited through the webhook. Each test signs up a user of its own.

const CHECKOUT_URL = new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`);

/** A fresh user with the £5.00 Starter pack paid, on /wallet. */
async function freshUserWithFivePounds(page: Page, prefix: string): Promise<string> {
  const email = await signUpFreshUser(page, prefix);
  await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expectCheckoutReturn(page, "Payment received. £5.00 added to your wallet.");
  await expect(page.getByTestId("wallet-balance")).toHaveText("£5.00");
  return email;
}

/** Saves a card on Stripe's hosted setup page (through 3-D Secure when the card asks) and comes back to the wallet. */
async function saveCard(page: Page, cardNumber: string, last4: string) {
  const section = page.locator("#auto-recharge");
  await section.getByRole("button", { name: "Save a card" }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  await page.getByLabel("Card number").fill(cardNumber);
  await page.getByRole("button", { name: "Save card" }).click();
  const authenticate = page.getByRole("button", { name: "Complete authentication" });
  const back = page.getByRole("status").filter({ hasText: "Card saved. Turn on auto-recharge below to use it." });
  await expect(authenticate.or(back)).toBeVisible();
  if (await authenticate.isVisible()) await authenticate.click();
  await expect(back).toBeVisible();
  await expect(page).toHaveURL(/\/wallet\?card=saved#auto-recharge$/);
  await expect(section.getByTestId("auto-recharge-card")).toHaveText(`Visa •••• ${last4}`);
}

/** Below £4.80, up to £10.00, at most £50.00 a month. */
async function turnOn(page: Page) {
  const section = page.locator("#auto-recharge");
  await section.getByLabel("When below (£)").fill("4.80");
  await section.getByLabel("Top up to (£)").fill("10.00");
  await section.getByLabel("At most a month (£)").fill("50.00");
  await section.getByLabel("Recharge automatically").check();
  await section.getByRole("button", { name: "Save auto-recharge settings" }).click();
  await expect(section.getByRole("status").filter({ hasText: "Auto-recharge is" })).toHaveText("Auto-recharge is on: below £4.80, we top your balance up to £10.00, at most £50.00 a month.");
  await expect(section.getByTestId("auto-recharge-state")).toHaveText("On");
}

async function spendFiftyPence(page: Page) {
  await page.getByRole("button", { name: "Spend £0.50 (demo)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Spent £0.50 of credit." })).toBeVisible();
}

test.describe("auto-recharge", () => {
  test("a saved card tops the balance back up to the target when spending goes below the threshold", async ({ page }) => {
    await freshUserWithFivePounds(page, "recharge");
    await saveCard(page, "4242 4242 4242 4242", "4242");
    await turnOn(page);

    await spendFiftyPence(page); // £5.00 → £4.50, below £4.80: £5.50 is charged to reach £10.00
    await expect(async () => {
      await page.goto("/wallet");
      await expect(page.getByTestId("wallet-balance")).toHaveText("£10.00", { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    const section = page.locator("#auto-recharge");
    const recharge = section.getByTestId("recharge-row").first();
    await expect(recharge).toContainText("£5.50");
    await expect(recharge).toContainText("Added");
    await expect(section.getByTestId("auto-recharge-month")).toContainText("This month: £5.50 recharged of your £50.00 cap.");
    await expect(page.getByTestId("purchase-row").first().getByTestId("purchase-name")).toHaveText("Auto-recharge");
    await expect(page.getByTestId("auto-recharge-banner")).toHaveCount(0);
  });

  test("a card that needs authentication switches auto-recharge off and the banner says why, with the fix", async ({ page }) => {
    const email = await freshUserWithFivePounds(page, "recharge-3ds");
    await saveCard(page, "4000 0027 6000 3184", "3184");
    await turnOn(page);

    await spendFiftyPence(page);
    const banner = page.getByTestId("auto-recharge-banner");
    await expect(async () => {
      await page.goto("/wallet");
      await expect(banner).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await expect(banner).toHaveAttribute("role", "alert");
    await expect(banner).toContainText("Auto-recharge is off");
    await expect(banner).toContainText("We couldn't add £5.50 to your wallet");
    await expect(banner).toContainText("Your bank wants you to confirm each payment with this card, so it can't be charged automatically.");
    await expect(banner.getByRole("button", { name: "Save another card" })).toBeVisible();
    await expect(banner.getByRole("link", { name: "Review auto-recharge settings" })).toHaveAttribute("href", "#auto-recharge");
    await expect(page.locator("#auto-recharge").getByTestId("auto-recharge-state")).toHaveText("Off");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£4.50");
    await expect(page.locator("#auto-recharge").getByTestId("recharge-row").first()).toContainText("Failed");
    const sent = await waitForEmail(email, "Auto-recharge is off: we couldn't charge your card");
    expect(sent.text).toContain("/wallet#auto-recharge");

    // The fix: another card from the banner goes to Stripe's setup page.
    await banner.getByRole("button", { name: "Save another card" }).click();
    await expect(page).toHaveURL(CHECKOUT_URL);
  });
});
