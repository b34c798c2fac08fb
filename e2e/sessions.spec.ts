import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { linkIn } from "../scripts/mail-inbox";
import { E2E_APP_URL } from "./config";
import { FRESH_USER_PASSWORD, signIn, signUp, uniqueEmail, waitForEmail } from "./helpers";

// What ends a session, seen from two browsers. A squatter signs up with someone else's address and
// stays signed in; when the owner proves the address (a password reset from the email, or a Google
// sign-in, which the e2e server answers with a local stand-in: scripts/oauth-stand-in.ts), the
// squatter's next request is signed out. README, "What ends a session".
test.use({ storageState: { cookies: [], origins: [] } });
// Two browsers, a sign-up and mail each: about three times an ordinary journey.
test.beforeEach(() => test.slow());

const SQUATTER_PASSWORD = "the squatter's password";

const opened: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(opened.splice(0).map((context) => context.close()));
});

/** A browser of its own (cookies and all), closed after the test. */
async function newBrowser(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E_APP_URL, storageState: { cookies: [], origins: [] } });
  opened.push(context);
  return context.newPage();
}

/** Signs the address up with the squatter's password and signs in; the wallet answers as that address. */
async function squat(page: Page, email: string) {
  await signUp(page, email, SQUATTER_PASSWORD);
  await signIn(page, email, SQUATTER_PASSWORD);
  await page.reload();
  await expect(page.getByTestId("current-user")).toContainText(email);
}

/** The squatter's next request: the wallet sends it to sign in, and the API says 401. */
async function expectSignedOut(page: Page) {
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fwallet$/);
  await expect(page.getByTestId("current-user")).toHaveCount(0);
  expect((await page.request.get("/api/me")).status()).toBe(401);
}

test("the owner resets the password from the email: the squatter's session ends", async ({ browser }) => {
  const email = uniqueEmail("squatted-reset");
  const squatter = await newBrowser(browser);
  await squat(squatter, email);

  const owner = await newBrowser(browser);
  await signUp(owner, email);
  const attempt = await waitForEmail(email, "Someone tried to sign up to Billfold with your email");
  await owner.goto(linkIn(attempt, "/forgot-password").toString());
  await owner.getByLabel("Email").fill(email);
  await owner.getByRole("button", { name: "Email me a reset link" }).click();
  const reset = await waitForEmail(email, "Reset your Billfold password");
  await owner.goto(linkIn(reset, "/reset-password").toString());
  await owner.getByLabel("New password").fill("the owner's own password");
  await owner.getByRole("button", { name: "Set new password" }).click();
  await expect(owner).toHaveURL(/\/signin\?reset=1/);
  await signIn(owner, email, "the owner's own password");
  await expect(owner.getByTestId("current-user")).toContainText(email);
  await expect(owner.getByTestId("verify-email-notice")).toHaveCount(0);

  await expectSignedOut(squatter);
  // The squatter's password is gone too.
  await squatter.getByLabel("Email").fill(email);
  await squatter.getByLabel("Password").fill(SQUATTER_PASSWORD);
  await squatter.getByRole("button", { name: "Sign in" }).click();
  await expect(squatter.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account. Check them and try again.");
});

test("the owner signs in with Google, which links to the account: the squatter's session ends", async ({ browser }) => {
  const email = uniqueEmail("squatted-oauth");
  const squatter = await newBrowser(browser);
  await squat(squatter, email);

  const owner = await newBrowser(browser);
  await owner.goto("/signin");
  await owner.getByRole("button", { name: "Continue with google" }).click();
  await expect(owner.getByRole("heading", { name: "Sign in to the OAuth stand-in" })).toBeVisible();
  await owner.getByLabel("Email").fill(email);
  await owner.getByRole("button", { name: "Continue" }).click();
  await expect(owner).toHaveURL(/\/wallet/);
  await expect(owner.getByTestId("current-user")).toContainText(email);
  await expect(owner.getByTestId("verify-email-notice")).toHaveCount(0);

  await expectSignedOut(squatter);
  // The owner's own session holds.
  await owner.reload();
  await expect(owner.getByTestId("current-user")).toContainText(email);
});

test("Sign out of all devices ends every session of the account, this browser's included", async ({ browser }) => {
  const email = uniqueEmail("everywhere");
  const laptop = await newBrowser(browser);
  await signUp(laptop, email);
  await signIn(laptop, email, FRESH_USER_PASSWORD);
  const phone = await newBrowser(browser);
  await signIn(phone, email, FRESH_USER_PASSWORD);

  await laptop.goto("/billing");
  await laptop.getByRole("button", { name: "Sign out of all devices" }).click();
  await expect(laptop).toHaveURL(/\/signin\?signedOut=everywhere$/);
  await expect(laptop.getByRole("main").getByRole("status")).toHaveText("You have been signed out on every device.");
  // The action also dropped this browser's session cookie.
  expect((await laptop.context().cookies()).filter((cookie) => cookie.name.includes("session-token"))).toEqual([]);

  await expectSignedOut(phone);
  await expectSignedOut(laptop);
  await signIn(laptop, email, FRESH_USER_PASSWORD);
  await expect(laptop.getByTestId("current-user")).toContainText(email);
});
