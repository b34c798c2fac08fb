import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { linkIn } from "../scripts/mail-inbox";
import { expectNoBlockingViolations } from "./accessibility";
import { E2E_STRIPE_URL } from "./config";
import { FRESH_USER_PASSWORD, payOnHostedCheckout, signUpFreshUser, uniqueEmail, waitForEmail } from "./helpers";

// Plans end to end in Chromium: the app's production build, the Stripe emulator's hosted Checkout
// and portal pages, and its webhooks back to the app. Each test signs up a user of its own.

// The emulator the e2e server started, read with the real SDK.
const stripe = emulatorStripe(E2E_STRIPE_URL, "sk_test_billfold_e2e", { maxNetworkRetries: 0 });
const CHECKOUT_URL = new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`);
const PORTAL_URL = new RegExp(`^${E2E_STRIPE_URL}/portal/`);
// The webhook lands a moment after the browser is back; the page polls and refreshes itself.
const SYNCED = { timeout: 15_000 };

// Back on /billing from Stripe: the page drops the return's query once it has read it (e2e/billing-notices.spec.ts).
const backOnBilling = (query: string) => new RegExp(`/billing(\\?${query})?$`);
const CHECKOUT_RETURN = backOnBilling("checkout=success&session_id=cs_test_\\w+");

const sessionIdIn = (url: string) => new URL(url).pathname.split("/").find((part) => part.startsWith("cs_")) ?? "";

/** From /billing: press the plan's upgrade button, pay with 4242… on the hosted page, and come back confirmed. */
async function subscribe(page: Page, planName: string): Promise<string> {
  await page.goto("/billing");
  await page.getByRole("button", { name: new RegExp(`^Upgrade to ${planName}`) }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  const sessionId = sessionIdIn(page.url());
  await expect(page.getByRole("heading", { name: "Subscribe" })).toBeVisible();
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(CHECKOUT_RETURN);
  await expect(page.getByTestId("current-plan")).toHaveText(planName, SYNCED);
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  return sessionId;
}

/** The portal's "01 Sep 2027" as lib/core/format.ts writes dates (en-GB, no leading zero): "1 Sep 2027". */
function formatDay(portalDay: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${portalDay} UTC`));
}

test.describe("plans and subscriptions", () => {
  test("Free → Pro with 4242…: /billing shows Pro and active without a reload, and the wallet gets the £10.00 plan credit", async ({ page }) => {
    await signUpFreshUser(page, "upgrade");
    await page.goto("/billing");
    await expect(page.getByTestId("current-plan")).toHaveText("Free");
    await expect(page.getByText("No invoices yet")).toBeVisible();
    // No billing account yet: nothing to manage.
    await expect(page.getByRole("button", { name: "Manage billing" })).toHaveCount(0);

    await page.getByRole("button", { name: "Upgrade to Pro for £15.00 a month" }).click();
    await expect(page).toHaveURL(CHECKOUT_URL);
    await expect(page.getByText("£15.00").first()).toBeVisible();
    await payOnHostedCheckout(page, "4242 4242 4242 4242");

    await expect(page).toHaveURL(CHECKOUT_RETURN);
    const notice = page.getByTestId("billing-sync-notice");
    await expect(notice).toBeVisible();
    // The page turns into Pro by itself: the notice polls and refreshes it when the webhook lands.
    await expect(page.getByTestId("current-plan")).toHaveText("Pro", SYNCED);
    await expect(page.getByTestId("subscription-status")).toHaveText("Active");
    await expect(notice).toHaveText("Thanks! You're on the Pro plan.");
    await expect(page.getByTestId("subscription-dates")).toContainText("Renews on ");
    await expect(page.getByTestId("plan-credit-this-period")).toContainText("£10.00", SYNCED);
    await expect(page.getByTestId("plan-pro")).toHaveAttribute("aria-current", "true");
    await expect(page.getByRole("button", { name: "Manage billing" })).toBeVisible();
    const invoice = page.getByTestId("invoice-row").first();
    await expect(invoice).toContainText("£15.00");
    await expect(invoice).toContainText("paid");
    await expect(invoice.getByRole("link", { name: /^View/ })).toHaveAttribute("href", /^http/);

    await page.getByRole("link", { name: "Wallet" }).click();
    await expect(page.getByTestId("wallet-balance")).toHaveText("£10.00");
    const row = page.getByTestId("ledger-row").first();
    await expect(row).toContainText("Plan credit");
    await expect(row).toContainText("+£10.00");
    await expect(row).toContainText(/in_/);
  });

  test("portal → Cancel at period end → back on /billing: Cancels on <period end>", async ({ page }) => {
    await signUpFreshUser(page, "cancel");
    await subscribe(page, "Pro");
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    await page.getByRole("button", { name: "Cancel at period end" }).click();
    await expect(page.getByRole("status")).toHaveText("Your subscription will be canceled at the end of the period.");
    const periodEnd = /Cancels on (\d{1,2} [A-Z][a-z]{2} \d{4})\./.exec((await page.getByText(/^Cancels on /).textContent()) ?? "")?.[1];
    expect(periodEnd).toBeTruthy();

    await page.getByRole("link", { name: "Return to Billfold" }).click();
    await expect(page).toHaveURL(backOnBilling("portal=returned"));
    await expect(page.getByTestId("subscription-dates")).toHaveText(`Cancels on ${formatDay(periodEnd ?? "")}`, SYNCED);
    // Still Pro until then.
    await expect(page.getByTestId("current-plan")).toHaveText("Pro");
    await expect(page.getByTestId("billing-sync-notice")).toHaveText(`Your Pro plan will end on ${formatDay(periodEnd ?? "")}.`);
  });

  test("portal → switch to Team → back on /billing: the Team plan", async ({ page }) => {
    await signUpFreshUser(page, "switch");
    await subscribe(page, "Pro");
    // A subscriber changes plan in the portal, never through a second Checkout.
    await expect(page.getByRole("button", { name: /^Upgrade to/ })).toHaveCount(0);
    // The plan card's "Change plan to Team" switches in the app (below); this is the portal's way, through Manage billing.
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    await page.getByRole("button", { name: /^Switch to Team/ }).click();
    await expect(page.getByRole("status")).toHaveText("Your plan has been updated.");
    await page.getByRole("link", { name: "Return to Billfold" }).click();

    await expect(page).toHaveURL(backOnBilling("portal=returned"));
    await expect(page.getByTestId("current-plan")).toHaveText("Team", SYNCED);
    await expect(page.getByTestId("plan-team")).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("plan-pro").getByRole("link", { name: "Change plan to Pro" })).toBeVisible();
  });

  test("in the app, Pro → Team: the confirmation shows what is due today and after, from Stripe; Confirm switches, and the page follows without a reload", async ({ page }) => {
    test.setTimeout(60_000);
    await signUpFreshUser(page, "inapp-switch");
    await subscribe(page, "Pro");
    const renewsOn = /Renews on (\d{1,2} [A-Z][a-z]{2} \d{4})/.exec((await page.getByTestId("subscription-dates").textContent()) ?? "")?.[1] ?? "";
    expect(renewsOn).toBeTruthy();
    // What's next on the bill: Pro's £15.00 on the renewal day, from Stripe's preview.
    await expect(page.getByTestId("next-invoice-amount")).toHaveText("£15.00");
    await expect(page.getByTestId("next-invoice-date")).toHaveText(renewsOn);
    // Set on this document: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { billfoldNoReload: true }));

    // Cancel closes the confirmation and changes nothing.
    await page.getByRole("link", { name: "Change plan to Team" }).click();
    const panel = page.getByTestId("plan-switch");
    await expect(panel.getByRole("heading", { name: "Change to the Team plan" })).toBeFocused();
    await panel.getByRole("link", { name: "Cancel" }).click();
    await expect(panel).toHaveCount(0);
    await expect(page.getByTestId("current-plan")).toHaveText("Pro");

    await page.getByRole("link", { name: "Change plan to Team" }).click();
    // Subscribed moments ago, almost the whole month is left: £49.00 − £15.00, prorated to the second, rounds to £34.00.
    await expect(panel.getByTestId("plan-switch-due-today")).toHaveText("£34.00 (prorated)");
    await expect(panel.getByTestId("plan-switch-then")).toHaveText(`£49.00/month from ${renewsOn}`);
    await expect(panel.getByRole("button", { name: "Change it in the billing portal instead" })).toBeVisible();
    // The open confirmation is accessible at the desktop width and at 390 px (where the scan leaves the page), and fits the phone.
    const desktop = page.viewportSize();
    await expectNoBlockingViolations(page, "/billing with the plan switch open");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (desktop) await page.setViewportSize(desktop);
    await panel.getByRole("button", { name: "Confirm: change to Team" }).click();

    await expect(page).toHaveURL(backOnBilling("switched=1"));
    await expect(page.getByTestId("current-plan")).toHaveText("Team", SYNCED);
    await expect(page.getByTestId("billing-sync-notice")).toHaveText("You're on the Team plan now.");
    await expect(page.getByTestId("plan-team")).toHaveAttribute("aria-current", "true");
    await expect(panel).toHaveCount(0);
    await expect(page.getByTestId("invoice-row").first()).toContainText("£34.00", SYNCED);
    await expect(page.getByTestId("next-invoice-amount")).toHaveText("£49.00");
    expect(await page.evaluate(() => "billfoldNoReload" in window)).toBe(true);
  });

  test("portal → switch to Team, then cancel at period end: /billing states Team, when it ends, and that no more plan credit comes", async ({ page }) => {
    await signUpFreshUser(page, "switch-cancel");
    await subscribe(page, "Pro");
    await expect(page.getByTestId("plan-credit-this-period")).toContainText("£10.00", SYNCED);
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    await page.getByRole("button", { name: /^Switch to Team/ }).click();
    await expect(page.getByRole("status")).toHaveText("Your plan has been updated.");
    await page.getByRole("button", { name: "Cancel at period end" }).click();
    await expect(page.getByRole("status")).toHaveText("Your subscription will be canceled at the end of the period.");
    const periodEnd = /Cancels on (\d{1,2} [A-Z][a-z]{2} \d{4})\./.exec((await page.getByText(/^Cancels on /).textContent()) ?? "")?.[1];
    expect(periodEnd).toBeTruthy();
    await page.getByRole("link", { name: "Return to Billfold" }).click();

    await expect(page).toHaveURL(backOnBilling("portal=returned"));
    await expect(page.getByTestId("subscription-dates")).toHaveText(`Cancels on ${formatDay(periodEnd ?? "")}`, SYNCED);
    await expect(page.getByTestId("current-plan")).toHaveText("Team");
    // Pro's £10.00 came with its first invoice; Team's £40.00 would come only at a renewal that will not happen.
    await expect(page.getByTestId("plan-credit-this-period")).toHaveText("£10.00");
    await expect(page.getByTestId("plan-credit-next")).toHaveText(`No more plan credit: your Team plan ends on ${formatDay(periodEnd ?? "")}.`);
  });

  test("a failed payment: /billing shows past due with Fix payment; a new card in the portal pays it and the plan is active again", async ({ page }) => {
    test.setTimeout(60_000);
    await signUpFreshUser(page, "pastdue");
    const session = await stripe.checkout.sessions.retrieve(await subscribe(page, "Pro"));
    const subscriptionId = typeof session.subscription === "string" ? session.subscription : (session.subscription?.id ?? "");

    // The card on file becomes one that attaches but is declined (4000 0000 0000 0341), entered in the portal.
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    await page.getByLabel("Card number").fill("4000 0000 0000 0341");
    await page.getByRole("button", { name: "Update card" }).click();
    await expect(page.getByTestId("default-card")).toContainText("0341");
    // A plan change invoiced at once (as a renewal would be) is charged to that card, and fails: past_due.
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    const [team] = (await stripe.prices.list({ lookup_keys: ["billfold_team_monthly"] })).data;
    await stripe.subscriptions.update(subscriptionId, { items: [{ id: subscription.items.data[0]?.id, price: team?.id }], proration_behavior: "always_invoice" });
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("past_due");

    // Nothing on this page polls here (no return from Checkout or the portal): reload until the webhook has landed.
    await expect(async () => {
      await page.goto("/billing");
      await expect(page.getByTestId("subscription-status")).toHaveText("Past due", { timeout: 1000 });
    }).toPass(SYNCED);
    const problem = page.getByTestId("payment-problem");
    await expect(problem).toContainText("Your last payment for the Team plan failed.");
    await expect(problem).toContainText("paid features stop on");
    await expect(page.getByTestId("current-plan")).toHaveText("Team"); // kept during the grace period
    // A plan switch in the app is not offered while a payment is failing: the portal is.
    await page.getByRole("link", { name: "Change plan to Pro" }).click();
    const refusal = page.getByTestId("plan-switch");
    await expect(refusal).toContainText("Your last payment didn't go through, so your plan can't be changed here.");
    await expect(refusal.getByRole("button", { name: "Open the billing portal" })).toBeVisible();
    await expect(refusal.getByRole("button", { name: /^Confirm/ })).toHaveCount(0);

    await problem.getByRole("button", { name: "Fix payment" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByRole("button", { name: "Update card" }).click();
    await expect(page.getByTestId("default-card")).toContainText("4242");
    await page.getByRole("link", { name: "Return to Billfold" }).click();
    await expect(page.getByTestId("subscription-status")).toHaveText("Active", SYNCED);
    await expect(page.getByTestId("payment-problem")).toHaveCount(0);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("active");
  });

  test("double submissions (two requests at once, two tabs, a double click) share one Checkout and end in one subscription", async ({ page }) => {
    test.setTimeout(60_000);
    await signUpFreshUser(page, "double");
    const [first, second] = await Promise.all([
      page.request.post("/api/checkout", { data: { kind: "subscription", planKey: "pro" } }),
      page.request.post("/api/checkout", { data: { kind: "subscription", planKey: "pro" } }),
    ]);
    expect([first.status(), second.status()]).toEqual([201, 201]);
    const started = await first.json();
    expect(started).toEqual({ destination: "checkout", url: expect.stringMatching(CHECKOUT_URL) });
    expect(await second.json()).toEqual(started);

    // Two tabs pressing Upgrade at once reach that same session.
    const otherTab = await page.context().newPage();
    await Promise.all([page.goto("/billing"), otherTab.goto("/billing")]);
    const upgrade = (tab: Page) => tab.getByRole("button", { name: /^Upgrade to Pro/ });
    await Promise.all([upgrade(page).click(), upgrade(otherTab).click()]);
    await expect(page).toHaveURL(started.url);
    await expect(otherTab).toHaveURL(started.url);
    await otherTab.close();

    // And so does a double click.
    await page.goto("/billing");
    await upgrade(page).dblclick();
    await expect(page).toHaveURL(started.url);
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    await expect(page.getByTestId("current-plan")).toHaveText("Pro", SYNCED);

    const session = await stripe.checkout.sessions.retrieve(sessionIdIn(started.url));
    const customer = typeof session.customer === "string" ? session.customer : (session.customer?.id ?? "");
    const subscriptionsOf = async () => (await stripe.subscriptions.list({ customer, status: "all" })).data.map((subscription) => [subscription.id, subscription.status]);
    expect(await subscriptionsOf()).toEqual([[session.subscription, "active"]]);
    expect((await stripe.customers.list({ email: await currentEmail(page) })).data).toHaveLength(1);

    // Upgrading again goes to the portal, not to a second Checkout.
    const again = await page.request.post("/api/checkout", { data: { kind: "subscription", planKey: "team" } });
    expect(again.status()).toBe(201);
    expect(await again.json()).toEqual({ destination: "portal", url: expect.stringMatching(PORTAL_URL) });
    // And the plan card's in-app switch offers the portal as its other way.
    await page.getByRole("link", { name: "Change plan to Team" }).click();
    await page.getByTestId("plan-switch").getByRole("button", { name: "Change it in the billing portal instead" }).click();
    await expect(page).toHaveURL(PORTAL_URL);
    expect(await subscriptionsOf()).toHaveLength(1);
  });

  test("a canceled Checkout says nothing was charged, and the emailed portal link explains a missing billing account", async ({ page }) => {
    await signUpFreshUser(page, "canceled");
    const direct = await page.request.get("/billing/portal", { maxRedirects: 0 });
    expect(direct.status()).toBe(303);
    await page.goto("/billing/portal");
    await expect(page).toHaveURL(backOnBilling("portal=no-account"));
    await expect(page.getByRole("main").getByRole("status")).toHaveText("You don't have a billing account yet. Choose a plan below to start one.");

    await page.getByRole("button", { name: /^Upgrade to Team/ }).click();
    await expect(page).toHaveURL(CHECKOUT_URL);
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page).toHaveURL(backOnBilling("checkout=canceled"));
    await expect(page.getByRole("main").getByRole("status")).toHaveText("Checkout canceled. Nothing was charged; you're still on the Free plan.");
    await expect(page.getByTestId("current-plan")).toHaveText("Free");
    // Now there is a customer, and the portal link opens the portal.
    await page.goto("/billing/portal");
    await expect(page).toHaveURL(PORTAL_URL);
  });

  test("statement export: Free sees where to get it (and the route says 403); Pro downloads the CSV", async ({ page }) => {
    await signUpFreshUser(page, "statement");
    await expect(page.getByTestId("statement-upsell")).toHaveText("Statement export is on Pro and Team. See plans");
    const refused = await page.request.get("/api/wallet/statement");
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe("plan_required");
    await page.getByTestId("statement-upsell").getByRole("link", { name: "See plans" }).click();
    await expect(page).toHaveURL(/\/billing$/);

    await subscribe(page, "Pro");
    await expect(page.getByTestId("plan-credit-this-period")).toContainText("£10.00", SYNCED);
    await page.goto("/wallet");
    await expect(page.getByTestId("statement-upsell")).toHaveCount(0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^billfold-statement-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile(await download.path(), "utf8")).trimEnd().split("\r\n");
    expect(lines[0]).toBe("Date (UTC),Type,Description,Amount,Balance after,Currency,Reference");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,Plan credit,[^,]*,10\.00,10\.00,GBP,in_\w+$/); // £10.00
  });
});

async function currentEmail(page: Page): Promise<string> {
  const response = await page.request.get("/api/me");
  return (await response.json()).user.email;
}

test.describe("from the landing page", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a signed-out visitor clicks Pro, signs up, verifies, signs in, pays, and lands on /billing showing Pro", async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto("/");
    await page.getByTestId("pricing-pro").getByRole("link", { name: "Choose Pro" }).click();
    await expect(page).toHaveURL(/\/signup\?plan=pro$/);

    const email = uniqueEmail("landing");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(FRESH_USER_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("main").getByRole("status")).toContainText(`We've sent a link to ${email}`);

    const mail = await waitForEmail(email, "Verify your email for Billfold");
    const link = linkIn(mail, "/verify-email");
    expect(link.searchParams.get("callbackUrl")).toBe("/billing?upgrade=pro");
    await page.goto(link.toString());
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText("Your email address is verified.");
    await page.getByRole("link", { name: "Sign in to continue" }).click();

    // Signed out, the billing page sends the visitor through sign-in and back to the chosen plan.
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fbilling%3Fupgrade%3Dpro$/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(FRESH_USER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/billing\?upgrade=pro$/);
    await expect(page.getByTestId("current-plan")).toHaveText("Free");
    // The chosen plan is highlighted and waits for the visitor's own click.
    await expect(page.getByTestId("plan-pro")).toContainText("Your choice");
    const upgrade = page.getByRole("button", { name: "Upgrade to Pro for £15.00 a month" });
    await expect(upgrade).toBeFocused();
    await upgrade.click();

    await expect(page).toHaveURL(CHECKOUT_URL);
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    await expect(page).toHaveURL(CHECKOUT_RETURN);
    await expect(page.getByTestId("current-plan")).toHaveText("Pro", SYNCED);
    await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  });

  test("signed in, the landing page's Pro button goes straight to its upgrade button on /billing", async ({ page }) => {
    await signUpFreshUser(page, "landing-signed-in");
    await page.goto("/");
    await page.getByTestId("pricing-pro").getByRole("link", { name: "Choose Pro" }).click();
    await expect(page).toHaveURL(/\/billing\?upgrade=pro$/);
    await expect(page.getByTestId("plan-pro")).toContainText("Your choice");
    // Nothing was started on the way: no Checkout until the button is pressed.
    await expect(page.getByRole("button", { name: "Manage billing" })).toHaveCount(0);
  });
});
