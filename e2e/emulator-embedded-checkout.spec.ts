import { createServer, type Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { emulatorStripe } from "@billfold/stripe-emulator/testing";
import { E2E_STRIPE_URL } from "./config";

// The emulator's Stripe.js and embedded checkout page on their own, in a merchant page of another origin (a tiny
// host page the test serves itself): the payment happens inside the iframe and the top-level page learns of it
// through onComplete, or is sent to return_url, as with Stripe's own Embedded Checkout. The host is a real loopback
// server, not page.route: Chromium counts a fulfilled page as public and refuses its loopback script (Local
// Network Access), which no real deployment meets.
const stripe = emulatorStripe(E2E_STRIPE_URL, "sk_test_billfold_e2e");

const HOST_PATH = "/__embedded-host";
const RETURN_PATH = "/__embedded-return";

const HOST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Embedded host</title></head>
<body>
<main><h1>Merchant page</h1><div id="checkout"></div><p id="completed" hidden>Completed in the page</p></main>
<script src="${E2E_STRIPE_URL}/endive/stripe.js"></script>
<script>
  window.completions = 0;
  window.createCheckout = function (clientSecret) {
    return Stripe("pk_test_billfold_e2e").createEmbeddedCheckoutPage({
      fetchClientSecret: function () { return Promise.resolve(clientSecret); },
      onComplete: function () { window.completions += 1; document.getElementById("completed").hidden = false; },
    });
  };
  window.openCheckout = async function (clientSecret) {
    window.checkout = await window.createCheckout(clientSecret);
    window.checkout.mount("#checkout");
  };
</script>
</body></html>`;

test.use({ storageState: { cookies: [], origins: [] } });

const RETURN_PAGE = "<!doctype html><html lang=\"en\"><title>Returned</title><h1>Returned</h1></html>";

let host: Server;
let hostUrl = "";

test.beforeAll(async () => {
  host = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://host.local").pathname;
    const body = path === HOST_PATH ? HOST_PAGE : path === RETURN_PATH ? RETURN_PAGE : undefined;
    response.writeHead(body ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    response.end(body ?? "");
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  const address = host.address();
  hostUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => host.close(resolve));
});

async function embeddedSession(redirectOnCompletion: "always" | "if_required") {
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ quantity: 1, price_data: { currency: "gbp", unit_amount: 750, product_data: { name: "Embedded test item" } } }], // £7.50
    ui_mode: "embedded_page",
    return_url: `${hostUrl}${RETURN_PATH}?session_id={CHECKOUT_SESSION_ID}`,
    redirect_on_completion: redirectOnCompletion,
  });
  return { session, clientSecret: String(session.client_secret) };
}

async function openCheckout(page: Page, clientSecret: string) {
  await page.goto(`${hostUrl}${HOST_PATH}`);
  await page.evaluate((secret) => (window as unknown as { openCheckout(secret: string): Promise<void> }).openCheckout(secret), clientSecret);
  const frame = page.frameLocator('iframe[title="Embedded Checkout"]');
  await expect(frame.getByText("Embedded test item")).toBeVisible();
  return frame;
}

const completions = (page: Page) => page.evaluate(() => (window as unknown as { completions: number }).completions);

test("4242 pays inside the frame; with if_required onComplete runs and the top page stays", async ({ page }) => {
  const { session, clientSecret } = await embeddedSession("if_required");
  const frame = await openCheckout(page, clientSecret);
  await expect(page.locator('iframe[title="Embedded Checkout"]')).toHaveAttribute("src", `${E2E_STRIPE_URL}/embedded-checkout/${encodeURIComponent(clientSecret)}`);
  await frame.getByLabel("Card number").fill("4242 4242 4242 4242");
  await frame.getByRole("button", { name: "Pay" }).click();
  await expect(frame.getByRole("heading", { name: "Payment complete" })).toBeVisible();
  await expect(page.getByText("Completed in the page")).toBeVisible();
  expect(await completions(page)).toBe(1);
  expect(page.url()).toBe(`${hostUrl}${HOST_PATH}`);
  // The frame sized itself to its content (the script starts it at 480px).
  await expect.poll(() => page.locator('iframe[title="Embedded Checkout"]').evaluate((iframe: HTMLIFrameElement) => iframe.style.height)).not.toBe("480px");
  expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid", url: null });
});

test("with redirect_on_completion always, the top window goes to return_url with the session id", async ({ page }) => {
  const { session, clientSecret } = await embeddedSession("always");
  const frame = await openCheckout(page, clientSecret);
  await frame.getByLabel("Card number").fill("4242 4242 4242 4242");
  await frame.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(`${hostUrl}${RETURN_PATH}?session_id=${session.id}`);
  await expect(page.getByRole("heading", { name: "Returned" })).toBeVisible();
});

test("3-D Secure (4000 0027 6000 3184): the challenge is inside the frame, and completing it pays", async ({ page }) => {
  const { session, clientSecret } = await embeddedSession("if_required");
  const frame = await openCheckout(page, clientSecret);
  await frame.getByLabel("Card number").fill("4000 0027 6000 3184");
  await frame.getByRole("button", { name: "Pay" }).click();
  await expect(frame.getByRole("heading", { name: "3D Secure authentication" })).toBeVisible();
  expect(page.url()).toBe(`${hostUrl}${HOST_PATH}`);
  await frame.getByRole("button", { name: "Complete authentication" }).click();
  await expect(frame.getByRole("heading", { name: "Payment complete" })).toBeVisible();
  await expect(page.getByText("Completed in the page")).toBeVisible();
  expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
});

test("a declined card shows the plain sentence in the frame, and 4242 then succeeds in the same frame", async ({ page }) => {
  const { session, clientSecret } = await embeddedSession("if_required");
  const frame = await openCheckout(page, clientSecret);
  await frame.getByLabel("Card number").fill("4000 0000 0000 0002");
  await frame.getByRole("button", { name: "Pay" }).click();
  await expect(frame.getByRole("alert")).toContainText("Your card was declined.");
  expect(await completions(page)).toBe(0);
  await frame.getByLabel("Card number").fill("4242 4242 4242 4242");
  await frame.getByRole("button", { name: "Pay" }).click();
  await expect(frame.getByRole("heading", { name: "Payment complete" })).toBeVisible();
  await expect(page.locator("iframe")).toHaveCount(1);
  expect(await completions(page)).toBe(1);
  expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
});

test("one Embedded Checkout at a time: a second is refused until destroy() removes the first's iframe", async ({ page }) => {
  const first = await embeddedSession("if_required");
  const second = await embeddedSession("if_required");
  await openCheckout(page, first.clientSecret);
  const refused = await page.evaluate(
    (secret) => (window as unknown as { createCheckout(secret: string): Promise<unknown> }).createCheckout(secret).then(() => "created", (error: Error) => error.message),
    second.clientSecret,
  );
  expect(refused).toBe("You cannot have multiple Embedded Checkout objects.");
  await page.evaluate(() => (window as unknown as { checkout: { destroy(): void } }).checkout.destroy());
  await expect(page.locator("iframe")).toHaveCount(0);
  await page.evaluate((secret) => (window as unknown as { openCheckout(secret: string): Promise<void> }).openCheckout(secret), second.clientSecret);
  await expect(page.locator('iframe[title="Embedded Checkout"]')).toHaveAttribute("src", new RegExp(`/embedded-checkout/${second.session.id}_secret_`));
  await expect(page.frameLocator('iframe[title="Embedded Checkout"]').getByText("Embedded test item")).toBeVisible();
});
