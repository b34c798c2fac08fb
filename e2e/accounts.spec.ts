import { expect, test, type Page } from "@playwright/test";
import { linkIn, readInbox } from "../scripts/mail-inbox";
import { E2E_LISTED_ADMIN_EMAIL, E2E_MAIL_URL } from "./config";
import { FRESH_USER_PASSWORD, signIn, signUp, uniqueEmail, waitForEmail } from "./helpers";

// Accounts end to end: mail goes through real SMTP into the local catcher the e2e server starts,
// and the tests read it back through the catcher's REST API.
test.use({ storageState: { cookies: [], origins: [] } });

/** Opens the email's link and presses the page's one button, which confirms the address. */
async function verifyFromEmail(page: Page, email: string) {
  const mail = await waitForEmail(email, "Verify your email for Billfold");
  await page.goto(linkIn(mail, "/verify-email").toString());
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Your email address is verified.");
}

test("sign up → the verification email arrives in the local catcher → its link verifies the address", async ({ page }) => {
  const email = uniqueEmail("verify");
  await signUp(page, email);
  const mail = await waitForEmail(email, "Verify your email for Billfold");
  expect(mail.html).toContain("Verify my email");
  const link = linkIn(mail, "/verify-email");
  expect(link.searchParams.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await signIn(page, email, FRESH_USER_PASSWORD);
  await expect(page.getByTestId("verify-email-notice")).toBeVisible();

  await verifyFromEmail(page, email);
  // The first verification ends every session made before it (README, "What ends a session").
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fwallet$/);
  await signIn(page, email, FRESH_USER_PASSWORD);
  await expect(page.getByTestId("current-user")).toContainText(email);
  await expect(page.getByTestId("verify-email-notice")).toHaveCount(0);

  // The link worked once: opened again, it says what is true now, with nothing to press.
  await page.goto(link.toString());
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Your email address is verified.");
  await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
});

test("verifying while signed in: the page says the address is verified and nothing else, with no 'please verify' banner", async ({ page }) => {
  const email = uniqueEmail("verified-page");
  await signUp(page, email);
  await signIn(page, email, FRESH_USER_PASSWORD);
  await expect(page.getByTestId("verify-email-notice")).toBeVisible();

  await page.goto(linkIn(await waitForEmail(email, "Verify your email for Billfold"), "/verify-email").toString());
  const main = page.getByRole("main");
  await expect(main.getByRole("button")).toHaveCount(1);
  await main.getByRole("button").click();
  await expect(main.getByRole("status")).toHaveText("Your email address is verified.");
  await expect(page.getByTestId("verify-email-notice")).toHaveCount(0);
  await expect(page.getByText("Please verify your email")).toHaveCount(0);
  await expect(main.getByRole("button")).toHaveCount(0);
  // Verifying ended this browser's session (README, "What ends a session"): the header, drawn anew, is
  // signed out, and the page's link says what to do next.
  await expect(page.getByTestId("current-user")).toHaveCount(0);
  await expect(main.getByRole("link", { name: "Sign in to continue" })).toHaveAttribute("href", "/signin?callbackUrl=%2Fwallet");
});

test("the email's link opens a page that names the address and explains its one button; opening it verifies nothing", async ({ page }) => {
  const email = uniqueEmail("confirm-page");
  await signUp(page, email);
  const link = linkIn(await waitForEmail(email, "Verify your email for Billfold"), "/verify-email");
  // A mail scanner fetching the link (a GET) must not spend it.
  expect((await page.request.get(link.toString())).status()).toBe(200);

  await page.goto(link.toString());
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { level: 1 })).toHaveText("Confirm your email address");
  await expect(main).toContainText(`Confirm that ${email} is your email address.`);
  await expect(main.getByRole("button")).toHaveCount(1);
  await main.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(main.getByRole("status")).toHaveText("Your email address is verified.");
});

test("password reset by email: the new password signs in, the old one no longer does", async ({ page }) => {
  const email = uniqueEmail("reset");
  await signUp(page, email);

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password/);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText(`If ${email} has a Billfold account, we've sent it a link`);

  const mail = await waitForEmail(email, "Reset your Billfold password");
  await page.goto(linkIn(mail, "/reset-password").toString());
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/signin\?reset=1/);
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Your password has been changed. Sign in with your new password.");

  await signIn(page, email, "a brand new password");
  await expect(page.getByTestId("current-user")).toContainText(email);

  await page.context().clearCookies();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(FRESH_USER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account. Check them and try again.");
});

test("an address in ADMIN_EMAILS is not ADMIN until it is verified, then is, in a session made after", async ({ page }) => {
  await signUp(page, E2E_LISTED_ADMIN_EMAIL);
  await signIn(page, E2E_LISTED_ADMIN_EMAIL, FRESH_USER_PASSWORD);
  await expect(page.getByTestId("current-user")).toContainText("USER");
  expect((await page.goto("/admin"))?.status()).toBe(403);
  expect((await page.request.get("/api/admin/users")).status()).toBe(403);

  await verifyFromEmail(page, E2E_LISTED_ADMIN_EMAIL);
  // The session made before verification never becomes an admin's: it ended with the verification.
  expect((await page.request.get("/api/admin/users")).status()).toBe(401);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin$/);
  await page.getByLabel("Email").fill(E2E_LISTED_ADMIN_EMAIL);
  await page.getByLabel("Password").fill(FRESH_USER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin/);
  await expect(page.getByTestId("current-user")).toContainText("ADMIN");
  expect((await page.request.get("/api/admin/users")).status()).toBe(200);
});

test("11 rapid wrong passwords: the first 10 are answered, the 11th gets 429 and the form says when to try again", async ({ page }) => {
  const email = uniqueEmail("brute");
  await signUp(page, email);
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  const alert = page.getByRole("main").getByRole("alert");
  for (let attempt = 1; attempt <= 11; attempt++) {
    await page.getByLabel("Password").fill(`wrong password ${attempt}`);
    const answer = page.waitForResponse((response) => response.url().endsWith("/api/auth/callback/credentials") && response.request().method() === "POST");
    await page.getByRole("button", { name: "Sign in" }).click();
    const response = await answer;
    if (attempt <= 10) {
      // next-auth's ordinary answer to a wrong password.
      expect(response.status(), `attempt ${attempt}`).toBe(401);
      await expect(alert).toHaveText("That email and password don't match an account. Check them and try again.");
    } else {
      expect(response.status()).toBe(429);
      expect(Number(response.headers()["retry-after"])).toBeGreaterThan(14 * 60);
      await expect(alert).toHaveText("Too many attempts. Try again in 15 minutes.");
    }
  }
  // Even the right password is refused while the email is locked.
  await page.getByLabel("Password").fill(FRESH_USER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alert).toHaveText("Too many attempts. Try again in 15 minutes.");
  await expect(page).toHaveURL(/\/signin/);
});

test("the forgot-password form, sent 4 times for one address, gets 429 with Retry-After and says when to try again", async ({ page }) => {
  const email = uniqueEmail("reset-429");
  for (let attempt = 1; attempt <= 4; attempt++) {
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(email);
    const answer = page.waitForResponse((response) => response.url().endsWith("/api/account/password-reset") && response.request().method() === "POST");
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    const response = await answer;
    if (attempt <= 3) {
      expect(response.status(), `attempt ${attempt}`).toBe(202);
      await expect(page.getByRole("main").getByRole("status")).toContainText(`If ${email} has a Billfold account, we've sent it a link`);
    } else {
      expect(response.status()).toBe(429);
      expect(Number(response.headers()["retry-after"])).toBeGreaterThan(59 * 60);
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Too many attempts\. Try again in \d+ minutes\.$/);
      // What was typed stays, so the person can try again later without retyping.
      await expect(page.getByLabel("Email")).toHaveValue(email);
    }
  }
});

test("the sign-up form shows each field's problem from the 422 next to it, and keeps everything typed", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  const answer = page.waitForResponse((response) => response.url().endsWith("/api/account/sign-up") && response.request().method() === "POST");
  await page.getByRole("button", { name: "Create account" }).click();
  expect((await answer).status()).toBe(422);
  await expect(page.locator("#email-error")).toHaveText("Enter a valid email address.");
  await expect(page.locator("#password-error")).toHaveText("Use at least 8 characters for your password.");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Please fix the highlighted fields.");
  await expect(page.getByLabel("Name")).toHaveValue("Ada Lovelace");
  await expect(page.getByLabel("Email")).toHaveValue("not-an-email");
  // The password stays too: it was kept in this page's memory, never sent back by the server.
  await expect(page.getByLabel("Password")).toHaveValue("short");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-describedby", "email-error");
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-describedby", "password-hint password-error");
  await expect(page.getByLabel("Name")).not.toHaveAttribute("aria-invalid", /.*/);
});

test("resending the verification link: the signed-in form sends a new one; without a session the route answers 401", async ({ page }) => {
  const email = uniqueEmail("resend");
  await signUp(page, email);
  await signIn(page, email, FRESH_USER_PASSWORD);
  await page.getByTestId("verify-email-notice").getByRole("button", { name: "Resend the link" }).click();
  await expect(page.getByTestId("verify-email-notice").getByRole("status")).toHaveText(`We've sent a new link to ${email}.`);
  await expect
    .poll(async () => (await readInbox(E2E_MAIL_URL, email)).filter((mail) => mail.subject === "Verify your email for Billfold").length)
    .toBe(2);

  await page.context().clearCookies();
  const response = await page.request.post("/api/account/verification-email");
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
});
