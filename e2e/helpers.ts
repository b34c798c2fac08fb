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
