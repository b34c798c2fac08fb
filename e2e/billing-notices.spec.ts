import { expect, test, type Page } from "@playwright/test";
import { E2E_STRIPE_URL } from "./config";
import { payOnHostedCheckout, signUpFreshUser } from "./helpers";

// What /billing says after Checkout and the portal: from the billing state, never from the address.
// The query string is read once and removed, so a reload (or a made-up session id) says nothing;
// back from the portal, the banner names what changed there.

const CHECKOUT_URL = new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`);
const PORTAL_URL = new RegExp(`^${E2E_STRIPE_URL}/portal/`);
// The webhook lands a moment after the browser is back; the page polls and refreshes itself.
const SYNCED = { timeout: 15_000 };
/** Long enough for a banner that was going to appear (the page's first poll answers within a second). */
const QUIET_MS = 2500;

/** From /billing: press the plan's upgrade button, pay with 4242… on the hosted page, and come back thanked. */
async function subscribe(page: Page, planName: string) {
  await page.goto("/billing");
  await page.getByRole("button", { name: new RegExp(`^Upgrade to ${planName}`) }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expect(page.getByTestId("billing-sync-notice")).toHaveText(`Thanks! You're on the ${planName} plan.`, SYNCED);
  await expect(page.getByTestId("current-plan")).toHaveText(planName, SYNCED);
}

/** The portal's "01 Sep 2027" as lib/core/format.ts writes dates (en-GB, no leading zero): "1 Sep 2027". */
function formatDay(portalDay: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${portalDay} UTC`));
}

test.describe("billing notices from state, not the address", () => {
  test("back from Checkout the thanks is shown once: the address loses its query, a reload shows no banner, and the plan credit reads as plan credit", async ({ page }) => {
    await signUpFreshUser(page, "billing-once");
    await subscribe(page, "Pro");
    await expect(page).toHaveURL(/\/billing$/);
    // The page keeps refreshing itself as the invoice and credit land: the thanks stays until the person leaves.
    await expect(page.getByTestId("plan-credit-this-period")).toContainText("£10.00", SYNCED);
    await expect(page.getByTestId("billing-sync-notice")).toHaveText("Thanks! You're on the Pro plan.");

    await page.reload();
    await expect(page.getByTestId("current-plan")).toHaveText("Pro");
    await page.waitForTimeout(QUIET_MS);
    await expect(page.getByTestId("billing-sync-notice")).toHaveCount(0);
    await expect(page.getByRole("main").getByRole("status")).toHaveCount(0);

    // In "Your credit", the plan's credit is the Pro plan's, never "Promotional".
    await page.goto("/wallet");
    const grant = page.getByTestId(/^grant-(row|card)$/).filter({ visible: true }).first();
    await expect(grant).toContainText("Pro plan credit");
    await expect(grant).toContainText("Plan credit");
    await expect(grant).not.toContainText("Promotional");
  });

  test("/billing?checkout=success with a made-up session id, or none, says nothing", async ({ page }) => {
    await signUpFreshUser(page, "billing-made-up");
    for (const address of ["/billing?checkout=success&session_id=cs_made_up", "/billing?checkout=success"]) {
      await page.goto(address);
      await expect(page.getByTestId("current-plan")).toHaveText("Free");
      await page.waitForTimeout(QUIET_MS);
      await expect(page.getByTestId("billing-sync-notice")).toHaveCount(0);
      await expect(page.getByRole("main").getByRole("status")).toHaveCount(0);
      await expect(page).toHaveURL(/\/billing$/);
    }
  });

  test("back from the portal after Cancel at period end, the banner names the change; a reload shows none", async ({ page }) => {
    await signUpFreshUser(page, "billing-portal");
    await subscribe(page, "Pro");
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    await page.getByRole("button", { name: "Cancel at period end" }).click();
    await expect(page.getByRole("status")).toHaveText("Your subscription will be canceled at the end of the period.");
    const periodEnd = /Cancels on (\d{1,2} [A-Z][a-z]{2} \d{4})\./.exec((await page.getByText(/^Cancels on /).textContent()) ?? "")?.[1] ?? "";
    expect(periodEnd).toBeTruthy();
    // Stripe's webhook may well land before the browser is back: the banner still knows what changed.
    await page.waitForTimeout(1000);

    await page.getByRole("link", { name: "Return to Billfold" }).click();
    await expect(page.getByTestId("billing-sync-notice")).toHaveText(`Your Pro plan will end on ${formatDay(periodEnd)}.`, SYNCED);
    await expect(page).toHaveURL(/\/billing$/);

    await page.reload();
    await expect(page.getByTestId("subscription-dates")).toHaveText(`Cancels on ${formatDay(periodEnd)}`);
    await page.waitForTimeout(QUIET_MS);
    await expect(page.getByTestId("billing-sync-notice")).toHaveCount(0);
  });

  test("back from the portal having changed nothing, the banner says so", async ({ page }) => {
    await signUpFreshUser(page, "billing-portal-nothing");
    await subscribe(page, "Pro");
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    await page.getByRole("link", { name: "Return to Billfold" }).click();
    await expect(page.getByTestId("billing-sync-notice")).toHaveText("Nothing changed in the billing portal.", SYNCED);
    await expect(page).toHaveURL(/\/billing$/);
  });
});
