import { expect, test } from "@playwright/test";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { E2E_STRIPE_URL } from "./config";

// The emulator's hosted checkout page on its own, driven like a customer would, through a session
// created with the real SDK: 4242… pays and redirects; the declined test card is refused.
const stripe = emulatorStripe(E2E_STRIPE_URL, "sk_test_billfold_e2e");

async function createSession(successUrl: string) {
  return stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ quantity: 2, price_data: { currency: "gbp", unit_amount: 750, product_data: { name: "Emulator test item" } } }],
    success_url: `${successUrl}?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${successUrl}?canceled=1`,
  });
}

test.use({ storageState: { cookies: [], origins: [] } });

test("4242… completes the hosted checkout and redirects to success_url with the session id", async ({ page, baseURL }) => {
  const session = await createSession(`${baseURL}/`);
  expect(session.url).toMatch(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
  await page.goto(session.url ?? "");
  await expect(page.getByText("Emulator test item")).toBeVisible();
  await expect(page.getByText("£15.00").first()).toBeVisible(); // 2 × £7.50
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(`${baseURL}/?session_id=${session.id}`);
  const paid = await stripe.checkout.sessions.retrieve(session.id);
  expect(paid).toMatchObject({ status: "complete", payment_status: "paid", amount_total: 1500 });
});

test("the declined test card shows Stripe's decline message and the session stays open", async ({ page, baseURL }) => {
  const session = await createSession(`${baseURL}/`);
  await page.goto(session.url ?? "");
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByRole("alert")).toContainText("Your card was declined.");
  await expect(page).toHaveURL(new RegExp(`/checkout/${session.id}`));
  expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", payment_status: "unpaid" });
});
