// Forms as people use them: what was typed survives any error, each error sits next to its field
// (aria-invalid, aria-describedby), an empty sign-in is named for what it is, buttons say they are
// working and cannot be pressed twice, and Sign out is one click from any page.
import { expect, test } from "@playwright/test";
import { E2E_STRIPE_URL } from "./config";
import { signIn, signUpFreshUser } from "./helpers";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("an empty sign-in names the missing fields next to them and asks the server nothing", async ({ page }) => {
    const signInPosts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().includes("/api/auth/callback/credentials")) signInPosts.push(request.url());
    });
    await page.goto("/signin");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#email-error")).toHaveText("Enter your email.");
    await expect(page.locator("#password-error")).toHaveText("Enter your password.");
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-describedby", "email-error");
    await expect(page.getByText(/don't match/)).toHaveCount(0);

    // Only the password missing: the email stays and only the password is in error.
    await page.getByLabel("Email").fill("demo@billfold.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#password-error")).toHaveText("Enter your password.");
    await expect(page.locator("#email-error")).toHaveCount(0);
    await expect(page.getByLabel("Email")).toHaveValue("demo@billfold.test");
    await expect(page.getByLabel("Email")).not.toHaveAttribute("aria-invalid", /.*/);
    expect(signInPosts).toEqual([]);
  });

  test("a wrong password keeps the email and the password as typed", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill("demo@billfold.test");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account. Check them and try again.");
    await expect(page.getByLabel("Email")).toHaveValue("demo@billfold.test");
    await expect(page.getByLabel("Password")).toHaveValue("not the password");
  });

  test("a too-short new password is explained under the field and kept", async ({ page }) => {
    await page.goto(`/reset-password?token=${"a".repeat(43)}`);
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.locator("#password-error")).toHaveText("Use at least 8 characters for your password.");
    await expect(page.getByLabel("New password")).toHaveValue("short");
    await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("New password")).toHaveAttribute("aria-describedby", "password-hint password-error");
    // The server never sends a password back: the page's HTML from the server has none.
    const served = await page.request.get(`/reset-password?token=${"a".repeat(43)}`);
    expect(await served.text()).not.toContain('value="short"');
  });

  test("Sign out in the header signs out at once, from any page; /signout still works", async ({ page }) => {
    await signIn(page, "demo@billfold.test", "billfold-demo");
    await page.goto("/billing");
    const header = page.getByRole("banner");
    await header.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
    expect((await page.request.get("/api/me")).status()).toBe(401);

    await signIn(page, "demo@billfold.test", "billfold-demo");
    await page.goto("/signout");
    await page.getByRole("main").getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/$/);
    expect((await page.request.get("/api/me")).status()).toBe(401);
  });

  test("Sign out works without JavaScript (a plain form post), and without a CSRF cookie (next-auth gives one)", async ({ page, browser }) => {
    await signIn(page, "demo@billfold.test", "billfold-demo");
    const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    try {
      const plain = await noJs.newPage();
      await plain.goto("/wallet");
      await plain.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
      await expect(plain).toHaveURL(/\/$/);
      await expect(plain.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
    } finally {
      await noJs.close();
    }

    // A browser that kept its session cookie but not the CSRF cookie (a new browser session).
    const cookies = await page.context().cookies();
    await page.context().clearCookies();
    await page.context().addCookies(cookies.filter((cookie) => !cookie.name.includes("csrf-token")));
    await page.goto("/wallet");
    await expect(page.getByTestId("current-user")).toContainText("demo@billfold.test");
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  });
});

test("a custom amount outside the limits: the error is under the field, which keeps what was typed", async ({ page }) => {
  await page.goto("/wallet");
  const amount = page.getByLabel("Custom amount (£)");
  await amount.fill("1.00");
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page.locator("#custom-amount-error")).toHaveText("Choose an amount between £5.00 and £500.00.");
  await expect(page.locator("#custom-amount-error")).toHaveAttribute("role", "alert");
  await expect(amount).toHaveValue("1.00");
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(amount).toHaveAttribute("aria-describedby", "custom-amount-hint custom-amount-error");
  // Said once, next to its field.
  await expect(page.getByText("Choose an amount between £5.00 and £500.00.")).toHaveCount(1);

  await amount.fill("twelve");
  await page.getByRole("button", { name: "Top up" }).click();
  await expect(page.locator("#custom-amount-error")).toHaveText("Type the amount in digits, like 20.50.");
  await expect(amount).toHaveValue("twelve");

  // Pasted with its pound sign, or with a decimal comma, the amount is read (and here still below the minimum).
  for (const pasted of ["£1", "1,50"]) {
    await amount.fill(pasted);
    await page.getByRole("button", { name: "Top up" }).click();
    await expect(page.locator("#custom-amount-error")).toHaveText("Choose an amount between £5.00 and £500.00.");
    await expect(amount).toHaveValue(pasted);
  }
});

test("a pack button, once pressed, says so and disables every buy button until Stripe's page opens", async ({ page }) => {
  await signUpFreshUser(page, "double-click");
  // Hold the server action a moment, so the pending state can be seen.
  await page.route("**/wallet", async (route) => {
    if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
  const pending = page.getByRole("button", { name: "Redirecting to Stripe…" });
  await expect(pending).toBeDisabled();
  await expect(pending).toHaveAttribute("aria-busy", "true");
  const otherPacks = page.getByRole("button", { name: /^Buy .* pack for/ });
  expect(await otherPacks.count()).toBeGreaterThan(0);
  for (const button of await otherPacks.all()) await expect(button).toBeDisabled();
  await expect(page.getByRole("button", { name: "Top up" })).toBeDisabled();
  await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
});
