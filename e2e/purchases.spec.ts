import { expect, test, type Locator, type Page } from "@playwright/test";
import { E2E_STRIPE_URL } from "./config";
import { checkoutSessionIdIn, expectCheckoutReturn, payOnHostedCheckout, signUpFreshUser } from "./helpers";

// Purchases that tell the truth, in Chromium against the emulator: each state a purchase can end in
// (canceled at Checkout or from the list, expired by Stripe's clock, resumed and paid, disputed) is
// what the list and the banner say, and the banner after Checkout describes the purchase as it is now,
// once. Each test signs up a user of its own, so its list holds only its own purchases.

const CHECKOUT_URL = new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`);
const SECRET_KEY = "sk_test_billfold_e2e";

interface EmulatedSession {
  id: string;
  status: string;
  payment_status: string;
  url: string | null;
  success_url: string | null;
  expires_at: number;
}

/** The session as the emulator holds it, read through its /v1 API with the test secret key. */
async function sessionAtStripe(sessionId: string): Promise<EmulatedSession> {
  const response = await fetch(`${E2E_STRIPE_URL}/v1/checkout/sessions/${sessionId}`, { headers: { authorization: `Bearer ${SECRET_KEY}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/** Presses a pack's Buy button and lands on Stripe's hosted page; the session's id. */
async function startBuying(page: Page, pack: "Starter" | "Standard", price: string): Promise<string> {
  await page.getByRole("button", { name: `Buy ${pack} pack for ${price}` }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  return checkoutSessionIdIn(page.url());
}

/** The address Stripe sends the browser to after paying this session. */
async function successUrlOf(sessionId: string): Promise<string> {
  const session = await sessionAtStripe(sessionId);
  return (session.success_url ?? "").replace("{CHECKOUT_SESSION_ID}", session.id);
}

function newestPurchase(page: Page): Locator {
  return page.getByTestId("purchase-row").first();
}

/** Reloads /wallet until the newest purchase shows `label` (the webhook lands a moment after the browser). */
async function waitForPurchaseState(page: Page, label: string) {
  await expect(async () => {
    await page.goto("/wallet");
    await expect(newestPurchase(page).getByTestId("purchase-status")).toHaveText(label, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
}

test.describe("purchase states", () => {
  test("Cancel on Stripe's page: the session is expired at Stripe, and the banner and the list both say canceled", async ({ page }) => {
    await signUpFreshUser(page, "cancel");
    const sessionId = await startBuying(page, "Standard", "£20.00");
    await page.getByRole("link", { name: "Cancel" }).click();

    const banner = await expectCheckoutReturn(page, "Checkout canceled. You canceled this checkout. Nothing was charged.");
    await expect(banner).toContainText("Standard pack, £20.00");
    const row = newestPurchase(page);
    await expect(row.getByTestId("purchase-status")).toHaveText("Canceled");
    await expect(row.getByTestId("purchase-sentence")).toHaveText("You canceled this checkout. Nothing was charged.");
    await expect(row.getByRole("link", { name: "Resume payment" })).toHaveCount(0);
    expect(await sessionAtStripe(sessionId)).toMatchObject({ status: "expired", payment_status: "unpaid" });

    // Said once: a reload shows the list, not the banner again.
    await page.reload();
    await expect(page.getByTestId("checkout-status")).toHaveCount(0);
    await expect(newestPurchase(page).getByTestId("purchase-status")).toHaveText("Canceled");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
  });

  test("Cancel on an open purchase in the list expires its session, and the row says canceled", async ({ page }) => {
    await signUpFreshUser(page, "list-cancel");
    const sessionId = await startBuying(page, "Starter", "£5.00");
    await page.goto("/wallet"); // walked away from Checkout without paying or canceling
    const row = newestPurchase(page);
    await expect(row.getByTestId("purchase-status")).toHaveText("Awaiting payment");

    const cancel = row.getByRole("button", { name: "Cancel" });
    await cancel.click();
    await expect(row.getByTestId("purchase-status")).toHaveText("Canceled");
    await expect(row.getByRole("button", { name: /Cancel/ })).toHaveCount(0);
    expect(await sessionAtStripe(sessionId)).toMatchObject({ status: "expired" });
    // Stripe's page no longer takes a payment for it.
    await page.goto((await sessionAtStripe(sessionId)).url ?? `${E2E_STRIPE_URL}/checkout/${sessionId}`);
    await expect(page.getByRole("status")).toHaveText("This Checkout Session is expired.");
  });

  test("a session abandoned until Stripe's clock passes its deadline shows as expired", async ({ page }) => {
    await signUpFreshUser(page, "abandon");
    const sessionId = await startBuying(page, "Starter", "£5.00");
    await page.goto("/wallet");
    const row = newestPurchase(page);
    await expect(row.getByTestId("purchase-status")).toHaveText("Awaiting payment");
    await expect(row.getByTestId("purchase-sentence")).toHaveText("Checkout was started but not paid. Nothing has been charged.");
    await expect(row.getByRole("link", { name: "Resume payment" })).toHaveAttribute("href", `${E2E_STRIPE_URL}/checkout/${sessionId}`);

    // Stripe expires an unpaid session after 24 hours: move the emulator's clock just past the deadline.
    const { expires_at: expiresAt } = await sessionAtStripe(sessionId);
    const { now }: { now: number } = await (await fetch(`${E2E_STRIPE_URL}/_emulator/health`)).json();
    const advanced = await fetch(`${E2E_STRIPE_URL}/_emulator/advance`, { method: "POST", body: new URLSearchParams({ seconds: String(expiresAt - now + 1) }) });
    expect(advanced.status).toBe(200);
    expect((await advanced.json()).expired_sessions).toBeGreaterThanOrEqual(1);
    expect(await sessionAtStripe(sessionId)).toMatchObject({ status: "expired" });

    // checkout.session.expired reaches the app through the webhook.
    await waitForPurchaseState(page, "Expired");
    await expect(newestPurchase(page).getByTestId("purchase-sentence")).toHaveText("This checkout closed before it was paid. Nothing was charged.");
    await expect(newestPurchase(page).getByRole("link", { name: "Resume payment" })).toHaveCount(0);
    await expect(newestPurchase(page).getByRole("button", { name: "Cancel" })).toHaveCount(0);
  });

  test("a declined purchase is resumed from the list and paid with another card", async ({ page }) => {
    await signUpFreshUser(page, "resume");
    const sessionId = await startBuying(page, "Standard", "£20.00");
    await payOnHostedCheckout(page, "4000 0000 0000 0002");
    await expect(page.getByRole("alert")).toContainText("Your card was declined.");

    await waitForPurchaseState(page, "Failed");
    const row = newestPurchase(page);
    await expect(row.getByTestId("purchase-name")).toHaveText("Standard pack");
    await expect(row.getByTestId("purchase-sentence")).toHaveText("Your card was declined. Try another card, or ask your bank why. Nothing was charged.");
    await row.getByRole("link", { name: "Resume payment" }).click();
    await expect(page).toHaveURL(`${E2E_STRIPE_URL}/checkout/${sessionId}`);
    await payOnHostedCheckout(page, "4242 4242 4242 4242");

    await expectCheckoutReturn(page, "Payment received. £20.00 added to your wallet.");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£20.00");
    await expect(newestPurchase(page).getByTestId("purchase-status")).toHaveText("Paid");
    await expect(page.getByTestId("purchase-row")).toHaveCount(1); // the same purchase, not a second one
    const purchaseId = await newestPurchase(page).getAttribute("data-purchase-id");
    await expect(newestPurchase(page).getByRole("link", { name: "Receipt", exact: true })).toHaveAttribute("href", `/wallet/receipts/${purchaseId}`);
    expect(await sessionAtStripe(sessionId)).toMatchObject({ status: "complete", payment_status: "paid" });
  });

  test("a disputed purchase shows the amount on hold, and its success URL revisited says so, never that money was added", async ({ page }) => {
    await signUpFreshUser(page, "disputed");
    const sessionId = await startBuying(page, "Starter", "£5.00");
    // Stripe's test card that pays and is then disputed as fraudulent.
    await payOnHostedCheckout(page, "4000 0000 0000 0259");
    await expect(page.getByTestId("checkout-status")).toBeVisible();

    await waitForPurchaseState(page, "Disputed");
    await expect(newestPurchase(page).getByTestId("purchase-sentence")).toHaveText("£5.00 is on hold while the bank reviews the dispute.");
    // The balance is read in a query of its own; it may trail the list by a moment.
    await expect(async () => {
      await page.goto("/wallet");
      await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00", { timeout: 500 }); // +£5.00 top-up, −£5.00 on hold
    }).toPass({ timeout: 15_000 });

    await page.goto(await successUrlOf(sessionId));
    const banner = await expectCheckoutReturn(page, "Payment disputed. £5.00 is on hold while the bank reviews the dispute.");
    await expect(banner).not.toContainText("added");
    await expect(banner).not.toContainText("balance");
    await page.reload();
    await expect(page.getByTestId("checkout-status")).toHaveCount(0);
  });

  test("the success URL reloaded or revisited shows no stale figure: the banner is said once, and describes that purchase as it is", async ({ page }) => {
    await signUpFreshUser(page, "reload");
    const first = await startBuying(page, "Starter", "£5.00");
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    const banner = await expectCheckoutReturn(page, "Payment received. £5.00 added to your wallet.");
    await expect(banner).not.toContainText("balance");
    await page.reload();
    await expect(page.getByTestId("checkout-status")).toHaveCount(0);

    // Another top-up moves the balance; the first one's success URL still speaks of the first purchase only.
    await startBuying(page, "Standard", "£20.00");
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    await expectCheckoutReturn(page, "Payment received. £20.00 added to your wallet.");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£25.00");
    await page.goto(await successUrlOf(first));
    const again = await expectCheckoutReturn(page, "Payment received. £5.00 added to your wallet.");
    await expect(again).toContainText("Starter pack, £5.00");
    await expect(again).not.toContainText("£25.00");
    await expect(again).not.toContainText("£20.00");
  });

  test("at 390 px the purchase list fits the screen, with its actions", async ({ page }) => {
    await signUpFreshUser(page, "narrow");
    await startBuying(page, "Starter", "£5.00");
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    await expectCheckoutReturn(page, "Payment received.");
    await startBuying(page, "Standard", "£20.00");
    await page.goto("/wallet");

    await page.setViewportSize({ width: 390, height: 844 });
    const list = page.getByRole("region", { name: "Recent purchases" });
    await list.scrollIntoViewIfNeeded();
    const overflow = await list.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (const target of [
      list.getByRole("link", { name: "Resume payment" }),
      list.getByRole("button", { name: "Cancel" }),
      list.getByRole("link", { name: "Receipt", exact: true }),
      list.getByText("£20.00"),
      list.getByText("Awaiting payment"),
    ]) {
      const box = await target.boundingBox();
      expect(box, await target.textContent() ?? "").not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    }
    await list.screenshot({ path: "test-results/screenshots/purchases-mobile.png" });
  });
});
