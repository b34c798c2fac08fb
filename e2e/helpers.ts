import { expect, type Page } from "@playwright/test";
import { readInbox, type CaughtEmail } from "../scripts/mail-inbox";
import { E2E_MAIL_URL } from "./config";

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/wallet/);
}

export function uniqueEmail(prefix = "e2e") {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

export const FRESH_USER_PASSWORD = "a good long password";

/** Fills the sign-up form; the page then says a link was sent (whether or not the email was new). */
export async function signUp(page: Page, email: string, password = FRESH_USER_PASSWORD) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText(`We've sent a link to ${email}`);
}

/**
 * Signs up a brand-new user (so a test owns its wallet), signs in (sign-up itself never does), and
 * leaves the page on /wallet. The address stays unverified, which the wallet allows.
 */
export async function signUpFreshUser(page: Page, prefix = "buyer"): Promise<string> {
  const email = uniqueEmail(prefix);
  await page.context().clearCookies();
  await signUp(page, email);
  await signIn(page, email, FRESH_USER_PASSWORD);
  return email;
}

/** The Checkout Session id in a hosted Checkout page's URL (…/checkout/cs_test_…). */
export function checkoutSessionIdIn(url: string): string {
  const id = new URL(url).pathname.split("/").find((part) => part.startsWith("cs_"));
  if (!id) throw new Error(`no Checkout Session id in ${url}`);
  return id;
}

/**
 * Back on the wallet from Checkout: the banner describes the purchase, and once shown the address loses
 * ?purchase=…&checkout=… so a reload does not repeat it. Checks both; returns the banner.
 */
export async function expectCheckoutReturn(page: Page, text: string | RegExp, timeout = 10_000) {
  const banner = page.getByTestId("checkout-status");
  await expect(banner).toContainText(text, { timeout });
  await expect(page).toHaveURL(/\/wallet$/);
  return banner;
}

/** Fills the emulator's hosted checkout page with a test card and pays. */
export async function payOnHostedCheckout(page: Page, cardNumber: string) {
  await expect(page.getByLabel("Card number")).toBeVisible();
  await page.getByLabel("Card number").fill(cardNumber);
  await page.getByRole("button", { name: "Pay" }).click();
}

/** The latest email with this subject to this address, read from the e2e mail catcher (waits up to 10 s). */
export async function waitForEmail(to: string, subject: string): Promise<CaughtEmail> {
  let found: CaughtEmail | undefined;
  await expect
    .poll(async () => {
      found = (await readInbox(E2E_MAIL_URL, to)).findLast((email) => email.subject === subject);
      return found?.subject;
    }, { message: `an email "${subject}" to ${to}`, timeout: 10_000 })
    .toBe(subject);
  if (!found) throw new Error("unreachable");
  return found;
}
