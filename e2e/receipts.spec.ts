import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { readInbox, type CaughtEmail } from "../scripts/mail-inbox";
import { E2E_APP_URL, E2E_MAIL_URL, E2E_STRIPE_URL } from "./config";
import { payOnHostedCheckout, signUpFreshUser } from "./helpers";

// A paid top-up's receipt, as the demo user sees it: the printable page in the app (card brand and
// last 4 from Stripe's charge, amount, seller), its print view and PDF, Stripe's own receipt, the
// receipt email, and nobody else's eyes on it.

const stripe = emulatorStripe(E2E_STRIPE_URL, "sk_test_billfold_e2e", { maxNetworkRetries: 0 });
const DEMO_EMAIL = "demo@billfold.test";

test.use({ viewport: { width: 1280, height: 900 } });

/**
 * Buys the Starter pack with 4242… and returns the purchase id (from the session's metadata at
 * Stripe) once its receipt exists: the receipt page answers 404 until the payment is applied.
 */
async function buyStarterPack(page: Page): Promise<string> {
  await page.goto("/wallet");
  await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
  const sessionId = new URL(page.url()).pathname.split("/").find((part) => part.startsWith("cs_")) ?? "";
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(/\/wallet/);
  const purchaseId = (await stripe.checkout.sessions.retrieve(sessionId)).metadata?.billfoldPurchaseId;
  if (!purchaseId) throw new Error(`session ${sessionId} carries no purchase id`);
  await expect.poll(async () => (await page.request.get(`/wallet/receipts/${purchaseId}`)).status(), { timeout: 15_000 }).toBe(200);
  return purchaseId;
}

/** The receipt email of this purchase in the demo user's inbox (waits up to 15 s). */
async function receiptEmailOf(purchaseId: string): Promise<CaughtEmail> {
  let found: CaughtEmail | undefined;
  await expect
    .poll(async () => {
      found = (await readInbox(E2E_MAIL_URL, DEMO_EMAIL)).find((email) => email.text.includes(`Receipt number: ${purchaseId}`));
      return found?.subject;
    }, { message: `the receipt email of ${purchaseId}`, timeout: 15_000 })
    .toBe("Your receipt from Billfold Test Ltd: £5.00 top-up");
  if (!found) throw new Error("unreachable");
  return found;
}

test("a paid top-up has a receipt page with the card's last 4 that prints, Stripe's receipt, and a receipt email", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const purchaseId = await buyStarterPack(page);
  const receiptPath = `/wallet/receipts/${purchaseId}`;

  // The email arrives once the credit is applied, and links to the page.
  const email = await receiptEmailOf(purchaseId);
  expect(email.text).toContain("Amount paid: £5.00");
  expect(email.text).toContain("For: Starter credit pack");
  expect(email.text).toContain(`${E2E_APP_URL}${receiptPath}`);
  expect((await readInbox(E2E_MAIL_URL, DEMO_EMAIL)).filter((mail) => mail.text.includes(`Receipt number: ${purchaseId}`))).toHaveLength(1);

  await page.goto(receiptPath);
  const receipt = page.getByTestId("receipt");
  await expect(page.getByRole("heading", { level: 1, name: "Receipt" })).toBeVisible();
  // The seller as the e2e server configures it (scripts/app-server-env.ts), with a VAT rate of 20%.
  await expect(page.getByTestId("receipt-business-name")).toHaveText("Billfold Test Ltd");
  await expect(receipt.locator("address")).toHaveText(/1 Ledger Lane\s*London\s*EC1A 1BB/);
  await expect(receipt).toContainText("VAT registration number: GB123456789");
  await expect(page.getByTestId("receipt-vat")).toHaveText(/VAT at 20% \(included\)\s*£0\.83/); // £5.00 = £4.17 + £0.83
  await expect(page.getByTestId("receipt-amount")).toHaveText("£5.00");
  await expect(page.getByTestId("receipt-payment-method")).toHaveText("Visa ending in 4242");
  await expect(page.getByTestId("receipt-number")).toHaveText(purchaseId);
  await expect(page.getByTestId("receipt-payment-reference")).toHaveText(/^pi_/);
  await expect(receipt).toContainText("Starter credit pack");
  await expect(receipt).toContainText("Paid");
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
  mkdirSync("test-results/screenshots", { recursive: true });
  await page.screenshot({ path: "test-results/screenshots/receipt.png", fullPage: true });

  // Stripe's own receipt for the same charge.
  const stripeReceipt = page.getByRole("link", { name: /Stripe receipt/ });
  const stripeReceiptUrl = (await stripeReceipt.getAttribute("href")) ?? "";
  expect(stripeReceiptUrl).toMatch(new RegExp(`^${E2E_STRIPE_URL}/receipts/payment/ch_`));
  const hosted = await page.request.get(stripeReceiptUrl);
  expect(hosted.status()).toBe(200);
  expect(await hosted.text()).toMatch(/data-testid="receipt-payment-method">visa – 4242</);

  // The Print button opens the browser's print dialog (stubbed here: headless Chromium has none).
  await page.evaluate(() => {
    const counted = window as unknown as { printCalls: number };
    counted.printCalls = 0;
    window.print = () => {
      counted.printCalls += 1;
    };
  });
  await page.getByRole("button", { name: "Print receipt" }).click();
  expect(await page.evaluate(() => (window as unknown as { printCalls: number }).printCalls)).toBe(1);

  // On paper: the receipt without the site's header and navigation, or the page's buttons.
  await page.emulateMedia({ media: "print" });
  await expect(receipt).toBeVisible();
  await expect(page.getByTestId("receipt-payment-method")).toHaveText("Visa ending in 4242");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByTestId("current-user")).toBeHidden();
  await expect(page.getByRole("button", { name: "Print receipt" })).toBeHidden();
  await expect(page.getByRole("link", { name: "← Back to wallet" })).toBeHidden();
  await page.screenshot({ path: "test-results/screenshots/receipt-print.png", fullPage: true });
  const pdf = await page.pdf({ format: "A4", path: "test-results/screenshots/receipt-print.pdf" });
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(5_000);
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  // Nobody else's: another user gets 404 for this receipt, as the owner does for an unknown id.
  const unknown = await page.goto("/wallet/receipts/no-such-purchase");
  expect(unknown?.status()).toBe(404);
  const context = await browser.newContext({ baseURL: E2E_APP_URL, storageState: { cookies: [], origins: [] } });
  try {
    const stranger = await context.newPage();
    await signUpFreshUser(stranger, "receipt-stranger");
    const response = await stranger.goto(receiptPath);
    expect(response?.status()).toBe(404);
    await expect(stranger.getByText("£5.00")).toHaveCount(0);
    await expect(stranger.getByText(purchaseId)).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("a signed-out visitor is sent to sign in, with the receipt as the page to come back to", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: E2E_APP_URL, storageState: { cookies: [], origins: [] } });
  try {
    const page = await context.newPage();
    await page.goto("/wallet/receipts/some-purchase");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fwallet%2Freceipts%2Fsome-purchase/);
  } finally {
    await context.close();
  }
});
