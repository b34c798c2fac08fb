import { expect, test } from "@playwright/test";
import { E2E_STRIPE_URL } from "./config";
import { expectCheckoutReturn, payOnHostedCheckout, signUpFreshUser } from "./helpers";

test.describe("credit top-ups through Stripe Checkout", () => {
  test("Starter pack paid with 4242… credits £5.00 within 5 s and shows in the entry list", async ({ page }) => {
    await signUpFreshUser(page);
    await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
    await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
    await expect(page.getByText("£5.00").first()).toBeVisible();
    await payOnHostedCheckout(page, "4242 4242 4242 4242");

    // The banner says what happened to this purchase (never a balance figure), then the address is cleaned.
    const banner = await expectCheckoutReturn(page, "Payment received. £5.00 added to your wallet.", 5_000);
    await expect(page.getByTestId("wallet-balance")).toHaveText("£5.00", { timeout: 5_000 });
    await expect(banner).not.toContainText("balance");
    const purchase = page.getByTestId("purchase-row").first();
    await expect(purchase.getByTestId("purchase-name")).toHaveText("Starter pack");
    await expect(purchase.getByTestId("purchase-status")).toHaveText("Paid");
    const row = page.getByTestId("ledger-row").first();
    await expect(row).toContainText("Top-up");
    await expect(row).toContainText("+£5.00");
    await expect(row).toContainText("Starter credit pack");
  });

  test("a declined card shows the decline in plain words and leaves the balance unchanged", async ({ page }) => {
    await signUpFreshUser(page);
    await page.getByRole("button", { name: "Buy Standard pack for £20.00" }).click();
    await payOnHostedCheckout(page, "4000 0000 0000 0002");
    await expect(page.getByRole("alert")).toContainText("Your card was declined.");
    await page.goto("/wallet");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
    await expect(page.getByText("No entries yet")).toBeVisible();
    // The decline reaches the wallet through payment_intent.payment_failed, which may land after this page rendered.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("purchase-row").first()).toContainText("Your card was declined.", { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    const purchase = page.getByTestId("purchase-row").first();
    await expect(purchase.getByTestId("purchase-status")).toHaveText("Failed");
    await expect(purchase.getByTestId("purchase-sentence")).toHaveText("Your card was declined. Try another card, or ask your bank why. Nothing was charged.");
    // The session is still open: the person can go back and try another card, or call it off.
    await expect(purchase.getByRole("link", { name: "Resume payment" })).toBeVisible();
    await expect(purchase.getByRole("button", { name: "Cancel" })).toBeVisible();
    await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
  });

  test("a delayed payment shows processing, then credits after the async success", async ({ page }) => {
    await signUpFreshUser(page);
    await page.getByLabel("Custom amount (£)").fill("12.50");
    await page.getByRole("button", { name: "Top up" }).click();
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/`));
    await expect(page.getByText("£12.50").first()).toBeVisible();
    await page.getByLabel("Delayed payment (bank debit)").check();
    await payOnHostedCheckout(page, "4242 4242 4242 4242");

    await expectCheckoutReturn(page, "Payment processing. Your bank payment of £12.50 is on its way.");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
    await expect(page.getByTestId("checkout-status")).toContainText("Payment received. £12.50 added to your wallet.", { timeout: 30_000 });
    await expect(page.getByTestId("wallet-balance")).toHaveText("£12.50");
    await expect(page.getByTestId("purchase-row").first().getByTestId("purchase-name")).toHaveText("Custom top-up");
  });

  test("a custom amount outside the limits is refused before Stripe is called", async ({ page }) => {
    await signUpFreshUser(page);
    await page.getByLabel("Custom amount (£)").fill("1.00");
    await page.getByRole("button", { name: "Top up" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Choose an amount between £5.00 and £500.00.");
    await expect(page).toHaveURL(/\/wallet$/);
  });

  test("spending credits: 402 with the balance when short, one debit per key", async ({ page }) => {
    await signUpFreshUser(page);
    const short = await page.request.post("/api/usage", { data: { amountMinor: 50, description: "API call", idempotencyKey: "e2e-spend-1" } });
    expect(short.status()).toBe(402);
    expect(await short.json()).toEqual({
      error: { code: "insufficient_funds", message: "Your wallet balance is too low for this charge.", balanceMinor: 0, currency: "GBP" },
    });
    const invalid = await page.request.post("/api/usage", { data: { amountMinor: 1.5, description: "x", idempotencyKey: "e2e-spend-2" } });
    expect(invalid.status()).toBe(422);
  });

  test("POST /api/checkout starts a session from the server's prices and refuses anything else", async ({ page }) => {
    await signUpFreshUser(page);
    const started = await page.request.post("/api/checkout", { data: { packKey: "standard" } });
    expect(started.status()).toBe(201);
    const body = await started.json();
    expect(body.url).toMatch(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
    const session = await (await fetch(`${E2E_STRIPE_URL}/v1/checkout/sessions/${body.checkoutSessionId}`, { headers: { authorization: "Bearer sk_test_billfold_e2e" } })).json();
    expect(session).toMatchObject({ amount_total: 2000, currency: "gbp", mode: "payment", client_reference_id: expect.any(String) }); // £20.00
    expect(session.metadata).toMatchObject({ purpose: "topup", packKey: "standard" });

    for (const data of [{ packKey: "platinum" }, { amountMinor: 100 }, { amountMinor: 1999.5 }, { packKey: "starter", unit_amount: 1 }]) {
      const refused = await page.request.post("/api/checkout", { data });
      expect(refused.status(), JSON.stringify(data)).toBe(422);
      expect((await refused.json()).error.code).toBe("validation_error");
    }
  });
});
