import { expect, test, type Page } from "@playwright/test";
import Stripe from "stripe";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { ADMIN_STATE, E2E_APP_URL, E2E_STRIPE_URL } from "./config";
import { checkoutSessionIdIn, payOnHostedCheckout, signUpFreshUser } from "./helpers";

// Money moving back out, driven the way it happens in production: Stripe (here the emulator) changes
// state and delivers signed webhooks to the app; the test only looks at the wallet.
const stripe = emulatorStripe(E2E_STRIPE_URL, "sk_test_billfold_e2e");

async function buyPack(page: Page, pack: "Starter" | "Standard", price: string, card: string): Promise<Stripe.Checkout.Session> {
  await page.getByRole("button", { name: `Buy ${pack} pack for ${price}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
  const sessionId = checkoutSessionIdIn(page.url());
  await payOnHostedCheckout(page, card);
  await expect(page.getByTestId("checkout-status")).toBeVisible();
  return stripe.checkout.sessions.retrieve(sessionId);
}

function paymentIntentId(session: Stripe.Checkout.Session): string {
  const intent = session.payment_intent;
  if (!intent) throw new Error(`session ${session.id} has no payment intent`);
  return typeof intent === "string" ? intent : intent.id;
}

/** The ids of the events the emulator has delivered, of one type. */
async function deliveredEventIds(type: string): Promise<string[]> {
  const response = await fetch(`${E2E_STRIPE_URL}/_emulator/deliveries`);
  const body: { data: Array<{ eventId: string; eventType: string; state: string }> } = await response.json();
  return body.data.filter((delivery) => delivery.eventType === type && delivery.state === "succeeded").map((delivery) => delivery.eventId);
}

/** The newest purchase's state as the list shows it (read in its own query, so it may trail the balance by a moment). */
async function expectPurchaseState(page: Page, label: string, sentence?: string) {
  await expect(async () => {
    await page.goto("/wallet");
    const purchase = page.getByTestId("purchase-row").first();
    await expect(purchase.getByTestId("purchase-status")).toHaveText(label, { timeout: 500 });
    if (sentence) await expect(purchase.getByTestId("purchase-sentence")).toHaveText(sentence, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
}

async function expectBalance(page: Page, text: string) {
  await expect(async () => {
    await page.goto("/wallet");
    await expect(page.getByTestId("wallet-balance")).toHaveText(text, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
}

test("a partial and then a full refund each debit exactly what Stripe refunded", async ({ page }) => {
  await signUpFreshUser(page, "refund");
  const session = await buyPack(page, "Standard", "£20.00", "4242 4242 4242 4242");
  await expectBalance(page, "£20.00");

  await stripe.refunds.create({ payment_intent: paymentIntentId(session), amount: 500 }); // £5.00
  await expectBalance(page, "£15.00");
  await expectPurchaseState(page, "Partially refunded", "£5.00 of £20.00 was refunded and taken back out of your wallet.");
  await stripe.refunds.create({ payment_intent: paymentIntentId(session) }); // the remaining £15.00
  await expectBalance(page, "£0.00");
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Refund" })).toHaveCount(2);
  await expectPurchaseState(page, "Refunded", "£20.00 was refunded and taken back out of your wallet.");
});

test("a refund after the credit was spent takes the wallet negative and says why", async ({ page }) => {
  await signUpFreshUser(page, "spent");
  const session = await buyPack(page, "Starter", "£5.00", "4242 4242 4242 4242");
  await expectBalance(page, "£5.00");
  const spend = await page.request.post("/api/usage", { data: { amountMinor: 400, description: "Spent it", idempotencyKey: "spent-0001" } }); // £4.00
  expect(spend.status()).toBe(201);
  await stripe.refunds.create({ payment_intent: paymentIntentId(session) });
  await expectBalance(page, "-£4.00");
  const banner = page.getByTestId("negative-balance-banner");
  await expect(banner.getByTestId("negative-balance-cause")).toContainText("Refund of £5.00");
  await expect(banner).toContainText("Spending is paused until a top-up repays the £4.00");
  await expect(banner.getByRole("link", { name: "Top up now" })).toBeVisible();
});

for (const outcome of ["won", "lost"] as const) {
  test(`a dispute holds the amount, and ${outcome === "won" ? "releases it when won" : "keeps it when lost"}`, async ({ page, browser }) => {
    await signUpFreshUser(page, `dispute-${outcome}`);
    // Stripe's test card that pays and is then disputed as fraudulent.
    const session = await buyPack(page, "Starter", "£5.00", "4000 0000 0000 0259");
    // £0.00 is also the balance before anything arrives: wait for both entries, then read the balance.
    await expect(async () => {
      await page.goto("/wallet");
      await expect(page.getByTestId("ledger-row").filter({ hasText: "Top-up" })).toHaveCount(1, { timeout: 500 });
      await expect(page.getByTestId("ledger-row").filter({ hasText: "Dispute hold" })).toHaveCount(1, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await expectBalance(page, "£0.00"); // +£5.00 top-up, −£5.00 dispute hold
    await expectPurchaseState(page, "Disputed", "£5.00 is on hold while the bank reviews the dispute.");

    const disputes = await stripe.disputes.list({ payment_intent: paymentIntentId(session) });
    const dispute = disputes.data[0];
    expect(dispute?.amount).toBe(500);
    const closedBefore = new Set(await deliveredEventIds("charge.dispute.closed"));
    const closed = await fetch(`${E2E_STRIPE_URL}/_emulator/disputes/${dispute?.id}/close`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `outcome=${outcome}`,
    });
    expect(closed.ok).toBe(true);
    if (outcome === "won") {
      await expectBalance(page, "£5.00");
      await expect(page.getByTestId("ledger-row").filter({ hasText: "Dispute released" })).toHaveCount(1);
      await expectPurchaseState(page, "Dispute won");
    } else {
      // The balance (£0.00) is what it was before the close, so it proves nothing alone: first make
      // sure the closing event reached the app and was applied (processed, not failed or unmatched),
      // then that its effect was to keep the hold: no release, one hold, and not the £5.00 a release gives.
      let closeEventId = "";
      await expect
        .poll(async () => {
          closeEventId = (await deliveredEventIds("charge.dispute.closed")).find((id) => !closedBefore.has(id)) ?? "";
          return closeEventId;
        })
        .not.toBe("");
      const admin = await browser.newContext({ storageState: ADMIN_STATE, baseURL: E2E_APP_URL });
      const adminPage = await admin.newPage();
      await expect(async () => {
        await adminPage.goto("/admin/webhooks?type=charge.dispute.closed");
        await expect(adminPage.getByTestId("webhook-event-row").filter({ hasText: closeEventId })).toContainText("processed", { timeout: 500 });
      }).toPass({ timeout: 15_000 });
      await admin.close();
      await expectBalance(page, "£0.00"); // +£5.00 top-up, −£5.00 hold kept; a release would make it £5.00
      await expect(page.getByTestId("ledger-row").filter({ hasText: "Dispute hold" })).toHaveCount(1);
      await expect(page.getByTestId("ledger-row").filter({ hasText: "Dispute released" })).toHaveCount(0);
      await expectPurchaseState(page, "Dispute lost");
    }
  });
}
