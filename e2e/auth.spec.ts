import { expect, test } from "@playwright/test";
import { E2E_APP_URL, E2E_CRON_SECRET } from "./config";
import { FRESH_USER_PASSWORD, signIn, signUp, uniqueEmail } from "./helpers";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sign up → check your email → sign in → an empty wallet at £0.00 → sign out → sign in", async ({ page }) => {
    const email = uniqueEmail("signup");
    await page.goto("/signup");
    await page.getByLabel("Name").fill("New Person");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a good long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText(`We've sent a link to ${email}. Open it to confirm your address, then sign in.`);
    await page.getByRole("main").getByRole("link", { name: "Sign in" }).first().click();
    await expect(page).toHaveURL(/\/signin/);
    await signIn(page, email, "a good long password");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
    // Unverified users may use the wallet, and are asked to verify.
    await expect(page.getByTestId("verify-email-notice")).toContainText(`we sent a link to ${email}`);
    await expect(page.getByText("No entries yet")).toBeVisible();

    // One click in the header signs out, with no page in between.
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

    await signIn(page, email, "a good long password");
    await expect(page.getByTestId("wallet-balance")).toHaveText("£0.00");
    await expect(page.getByTestId("current-user")).toContainText(email);
  });

  test("a wrong password gives a clear message, not a stack trace", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill("demo@billfold.test");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account. Check them and try again.");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("signing up with an existing email answers exactly as for a new one", async ({ page }) => {
    const answers: string[] = [];
    for (const email of ["demo@billfold.test", uniqueEmail("new")]) {
      await page.goto("/signup");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("another long password");
      await page.getByRole("button", { name: "Create account" }).click();
      const status = page.getByRole("main").getByRole("status");
      await expect(status).toContainText("We've sent a link to");
      answers.push((await status.innerText()).replace(email, "<email>"));
    }
    expect(answers[0]).toBe(answers[1]);
  });

  test("guarded pages send you to sign in; guarded APIs answer 401 JSON", async ({ page, request }) => {
    await page.goto("/wallet");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fwallet/);
    for (const url of ["/api/me", "/api/admin/users"]) {
      const response = await request.get(url);
      expect(response.status()).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
    }
  });
});

// Dot segments the URL parser removes can leave //host, which a browser reads as another site.
const DOT_SEGMENT_TARGETS = ["/.//evil.example", "/x/..//evil.example", "/.\\/evil.example"];

test("signed in, /signin?callbackUrl with dot segments redirects to the wallet, not to another host", async ({ page }) => {
  for (const target of DOT_SEGMENT_TARGETS) {
    const response = await page.request.get(`/signin?callbackUrl=${encodeURIComponent(target)}`, { maxRedirects: 0 });
    expect(response.status(), target).toBeGreaterThanOrEqual(300);
    expect(response.status(), target).toBeLessThan(400);
    expect(response.headers().location, target).toBe("/wallet");
  }
});

test.describe("signing in with a dot-segment callbackUrl", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the form and next-auth's own redirect both stay on our site", async ({ page }) => {
    const email = uniqueEmail("dot-callback");
    await signUp(page, email);
    await page.goto(`/signin?callbackUrl=${encodeURIComponent("/.//evil.example")}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(FRESH_USER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${E2E_APP_URL}/wallet`);

    // next-auth's redirect callback, given the raw target (as a hand-made post would): our wallet.
    await page.context().clearCookies();
    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    for (const target of DOT_SEGMENT_TARGETS) {
      const answer = await page.request.post("/api/auth/callback/credentials", {
        form: { email, password: FRESH_USER_PASSWORD, csrfToken, callbackUrl: target, json: "true" },
      });
      expect(answer.status(), target).toBe(200);
      expect(await answer.json(), target).toEqual({ url: `${E2E_APP_URL}/wallet` });
    }
  });
});

test("a USER is refused /admin and the admin API", async ({ page }) => {
  const refused = await page.goto("/admin");
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to that page" })).toBeVisible();
  const response = await page.request.get("/api/admin/users");
  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({ error: { code: "forbidden", message: "You do not have access to this resource." } });
  const me = await page.request.get("/api/me");
  expect(await me.json()).toMatchObject({ user: { email: "demo@billfold.test", role: "USER" } });
});

test("the demo user's wallet and billing pages show real data", async ({ page }) => {
  await page.goto("/billing");
  await expect(page.getByTestId("current-plan")).toHaveText("Free");
});

test("health says only ok to anyone; the database and migrations need the cron token", async ({ page, request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });

  expect((await page.request.get("/api/health/details")).status()).toBe(403); // the demo user's session: not an admin
  const details = await request.get("/api/health/details", { headers: { authorization: `Bearer ${E2E_CRON_SECRET}` } });
  expect(details.status()).toBe(200);
  expect(await details.json()).toMatchObject({ ok: true, database: { reachable: true }, migrations: { upToDate: true, pending: [] } });
});
