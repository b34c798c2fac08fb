import { expect, test, type Page } from "@playwright/test";
import Stripe from "stripe";
import { E2E_STRIPE_PORT, E2E_STRIPE_URL } from "./config";
import { payOnHostedCheckout, signUpFreshUser } from "./helpers";

// Money moving back out, driven the way it happens in production: Stripe (here the emulator) changes
// state and delivers signed webhooks to the app; the test only looks at the wallet.
const stripe = new Stripe("sk_test_billfold_e2e", { host: "127.0.0.1", port: E2E_STRIPE_PORT, protocol: "http" });

async function buyPack(page: Page, pack: "Starter" | "Standard", price: string, card: string): Promise<Stripe.Checkout.Session> {
  await page.getByRole("button", { name: `Buy ${pack} pack for ${price}` }).click();
  await payOnHostedCheckout(page, card);
  await expect(page).toHaveURL(/checkout=success/);
  const sessionId = new URL(page.url()).searchParams.get("session_id") ?? "";
  return stripe.checkout.sessions.retrieve(sessionId);
}

function paymentIntentId(session: Stripe.Checkout.Session): string {
  const intent = session.payment_intent;
  if (!intent) throw new Error(`session ${session.id} has no payment intent`);
  return typeof intent === "string" ? intent : intent.id;
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
  await stripe.refunds.create({ payment_intent: paymentIntentId(session) }); // the remaining £15.00
  await expectBalance(page, "£0.00");
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Refund" })).toHaveCount(2);
});

test("a refund after the credit was spent takes the wallet negative and says why", async ({ page }) => {
  await signUpFreshUser(page, "spent");
  const session = await buyPack(page, "Starter", "£5.00", "4242 4242 4242 4242");
  await expectBalance(page, "£5.00");
  const spend = await page.request.post("/api/usage", { data: { amountMinor: 400, description: "Spent it", idempotencyKey: "spent-0001" } }); // £4.00
  expect(spend.status()).toBe(201);
  await stripe.refunds.create({ payment_intent: paymentIntentId(session) });
  await expectBalance(page, "-£4.00");
  await expect(page.getByText("Your balance is negative because a payment was refunded or disputed")).toBeVisible();
});

for (const outcome of ["won", "lost"] as const) {
  test(`a dispute holds the amount, and ${outcome === "won" ? "releases it when won" : "keeps it when lost"}`, async ({ page }) => {
    await signUpFreshUser(page, `dispute-${outcome}`);
    // Stripe's test card that pays and is then disputed as fraudulent.
    const session = await buyPack(page, "Starter", "£5.00", "4000 0000 0000 0259");
    await expectBalance(page, "£0.00"); // +£5.00 top-up, −£5.00 dispute hold
    await expect(page.getByTestId("ledger-row").filter({ hasText: "Dispute hold" })).toHaveCount(1);

    const disputes = await stripe.disputes.list({ payment_intent: paymentIntentId(session) });
    const dispute = disputes.data[0];
    expect(dispute?.amount).toBe(500);
    const closed = await fetch(`${E2E_STRIPE_URL}/_emulator/disputes/${dispute?.id}/close`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `outcome=${outcome}`,
    });
    expect(closed.ok).toBe(true);
    if (outcome === "won") {
      await expectBalance(page, "£5.00");
      await expect(page.getByTestId("ledger-row").filter({ hasText: "Dispute released" })).toHaveCount(1);
    } else {
      // Give the closing event time to arrive, then check nothing was released.
      await expect.poll(async () => (await stripe.disputes.retrieve(dispute?.id ?? "")).status).toBe("lost");
      await page.waitForTimeout(1500);
      await expectBalance(page, "£0.00");
      await expect(page.getByTestId("ledger-row").filter({ hasText: "Dispute released" })).toHaveCount(0);
    }
  });
}
