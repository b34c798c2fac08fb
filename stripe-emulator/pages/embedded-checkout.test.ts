// The embedded checkout page a merchant frames (/embedded-checkout/<client_secret>) and the Stripe.js the emulator
// serves: the same form as the hosted page, answered inside the frame, with the completion told to the parent.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { postForm, startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
});

const RETURN_URL = "http://app.local/wallet?session_id={CHECKOUT_SESSION_ID}";

async function embeddedSession(params: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<{ session: Stripe.Checkout.Session; pageUrl: string }> {
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: "gbp", unit_amount: 500, product_data: { name: "Starter credit pack" } }, quantity: 1 }], // £5.00
    ui_mode: "embedded_page",
    return_url: RETURN_URL,
    redirect_on_completion: "if_required",
    ...params,
  });
  return { session, pageUrl: `${emulator.url}/embedded-checkout/${encodeURIComponent(String(session.client_secret))}` };
}

/** The completion message the page's script posts to its parent, read back from the page. */
function completionIn(html: string): unknown {
  const match = /var completion = (.*);\n/.exec(html);
  return match ? JSON.parse(match[1] ?? "null") : undefined;
}

describe("embedded checkout page", () => {
  it("is framable from any origin, posts its form inside the frame, reports its size, and has no Cancel link", async () => {
    const { session, pageUrl } = await embeddedSession();
    const response = await fetch(pageUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-frame-options")).toBeNull();
    expect(response.headers.get("content-security-policy")).toBe("frame-ancestors *");
    const html = await response.text();
    expect(html).toContain(`action="/embedded-checkout/${encodeURIComponent(String(session.client_secret))}/pay"`);
    expect(html).toContain("£5.00");
    expect(html).toContain('type: "resize"');
    expect(html).not.toContain("Cancel");
    expect(completionIn(html)).toBeNull();
  });

  it("an unknown or tampered client secret, or a hosted session's id, shows a page saying so", async () => {
    const { session } = await embeddedSession();
    for (const secret of [`${session.id}_secret_wrong`, "cs_test_nothing_secret_x", session.id]) {
      const response = await fetch(`${emulator.url}/embedded-checkout/${encodeURIComponent(secret)}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("does not belong to an embedded Checkout Session");
    }
  });

  it("4242 completes the session inside the frame and tells the parent, with return_url filled in", async () => {
    const { session, pageUrl } = await embeddedSession();
    const paid = await postForm(`${pageUrl}/pay`, { card_number: "4242 4242 4242 4242", email: "pat@example.com" });
    expect(paid.status).toBe(200);
    const html = await paid.text();
    expect(html).toContain("Payment complete");
    expect(completionIn(html)).toEqual({
      source: "stripe-emulator",
      type: "checkout-complete",
      sessionId: session.id,
      redirectUrl: `http://app.local/wallet?session_id=${session.id}`,
      redirectOnCompletion: "if_required",
    });
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid", url: null });

    // Shown again later, the page says it is done but does not announce the completion a second time.
    const again = await (await fetch(pageUrl)).text();
    expect(again).toContain("Payment complete");
    expect(completionIn(again)).toBeNull();
  });

  it("3-D Secure asks inside the frame; completing it pays the session", async () => {
    const { session, pageUrl } = await embeddedSession({ redirect_on_completion: "always" });
    const challenge = await postForm(`${pageUrl}/pay`, { card_number: "4000002760003184" });
    expect(challenge.status).toBe(200);
    const html = await challenge.text();
    expect(html).toContain("Complete authentication");
    expect(html).toContain("Fail authentication");
    expect(html).toContain(`action="/embedded-checkout/`);
    const done = await postForm(`${pageUrl}/pay`, { card_number: "4000002760003184", authenticated: "true" });
    expect(done.status).toBe(200);
    expect(completionIn(await done.text())).toMatchObject({ sessionId: session.id, redirectOnCompletion: "always" });
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
  });

  it("a decline shows the plain sentence in the frame; a retry with 4242 succeeds there", async () => {
    const { session, pageUrl } = await embeddedSession();
    const declined = await postForm(`${pageUrl}/pay`, { card_number: "4000000000000002" });
    expect(declined.status).toBe(402);
    const html = await declined.text();
    expect(html).toContain("Your card was declined.");
    expect(html).toContain('<button type="submit">Pay</button>');
    expect(completionIn(html)).toBeNull();
    const retried = await postForm(`${pageUrl}/pay`, { card_number: "4242424242424242" });
    expect(retried.status).toBe(200);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", payment_status: "paid" });
  });

  it("setup mode saves the card ('Save card', then 'Card saved'); redirect_on_completion never has no redirect URL", async () => {
    const customer = await stripe.customers.create({ email: "saver@example.com" });
    const { session, pageUrl } = await embeddedSession({ mode: "setup", currency: "gbp", line_items: undefined, customer: customer.id, return_url: undefined, redirect_on_completion: "never" });
    expect(await (await fetch(pageUrl)).text()).toContain('<button type="submit">Save card</button>');
    const saved = await postForm(`${pageUrl}/pay`, { card_number: "4242424242424242" });
    const html = await saved.text();
    expect(html).toContain("Card saved");
    expect(completionIn(html)).toMatchObject({ sessionId: session.id, redirectUrl: null, redirectOnCompletion: "never" });
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(1);
  });

  it("subscription mode subscribes", async () => {
    const price = await stripe.prices.create({ product_data: { name: "Pro" }, unit_amount: 1500, currency: "gbp", recurring: { interval: "month" } }); // £15.00
    const { session, pageUrl } = await embeddedSession({ mode: "subscription", line_items: [{ price: price.id, quantity: 1 }] });
    expect(await (await fetch(pageUrl)).text()).toContain("<h1>Subscribe</h1>");
    const paid = await postForm(`${pageUrl}/pay`, { card_number: "4242424242424242", email: "sub@example.com" });
    expect(await paid.text()).toContain("Payment complete");
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: "complete", mode: "subscription" });
    expect(completed.subscription).toMatch(/^sub_/);
  });

  it("an expired session shows its state", async () => {
    const { session, pageUrl } = await embeddedSession();
    await stripe.checkout.sessions.expire(session.id);
    const html = await (await fetch(pageUrl)).text();
    expect(html).toContain("This Checkout Session is expired.");
    expect(html).not.toContain("<form");
  });
});

describe("the emulator's Stripe.js", () => {
  it("is served as JavaScript from any origin, never cached, at /endive/stripe.js, /v3 and /v3/", async () => {
    for (const path of ["/endive/stripe.js", "/v3", "/v3/"]) {
      const response = await fetch(`${emulator.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      const script = await response.text();
      expect(script).toContain('Stripe.version = "endive"');
      expect(script).toContain("createEmbeddedCheckoutPage");
    }
  });
});
