// `ui_mode` as API version 2026-10-28.endive names it (`hosted_page`, `embedded_page`, `elements`), the old names
// only for an older Stripe-Version, and what an embedded session needs and answers.
import { afterEach, describe, expect, it } from "vitest";
import type Stripe from "stripe";
import type { RunningEmulator } from "../index";
import { expectStripeError, postForm, startTestEmulator } from "../testing";

let running: RunningEmulator[] = [];

afterEach(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
  running = [];
});

async function setUp() {
  const { emulator, stripe } = await startTestEmulator();
  running.push(emulator);
  return { emulator, stripe };
}

const LINE_ITEMS: Stripe.Checkout.SessionCreateParams.LineItem[] = [
  { price_data: { currency: "gbp", unit_amount: 500, product_data: { name: "Starter credit pack" } }, quantity: 1 }, // £5.00
];
const RETURN_URL = "http://app.local/wallet?session_id={CHECKOUT_SESSION_ID}";
/** An API version from before `ui_mode` was renamed in 2026-03-25.dahlia. */
const OLDER_VERSION = "2025-09-30.clover";

describe("checkout session ui_mode", () => {
  it("defaults to hosted_page: a url, no client_secret, and the url is null once the session is complete", async () => {
    const { stripe } = await setUp();
    const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, success_url: "http://app.local/ok" });
    expect(session).toMatchObject({ ui_mode: "hosted_page", client_secret: null });
    expect(session.url).toMatch(/\/checkout\/cs_test_/);
    expect((await postForm(`${session.url}/pay`, { card_number: "4242424242424242" })).status).toBe(303);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "complete", url: null });
  });

  it("embedded_page: a client_secret and no url; return_url and redirect_on_completion (default always) are returned", async () => {
    const { stripe } = await setUp();
    const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, ui_mode: "embedded_page", return_url: RETURN_URL });
    expect(session).toMatchObject({ ui_mode: "embedded_page", url: null, success_url: null, cancel_url: null, return_url: RETURN_URL, redirect_on_completion: "always" });
    expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_\\w+$`));
    const retrieved = await stripe.checkout.sessions.retrieve(session.id);
    expect(retrieved).toMatchObject({ ui_mode: "embedded_page", client_secret: session.client_secret, redirect_on_completion: "always" });

    const ifRequired = await stripe.checkout.sessions.create({ mode: "setup", currency: "gbp", ui_mode: "embedded_page", return_url: RETURN_URL, redirect_on_completion: "if_required" });
    expect(ifRequired).toMatchObject({ redirect_on_completion: "if_required", return_url: RETURN_URL });
    const never = await stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, ui_mode: "embedded_page", redirect_on_completion: "never" });
    expect(never).toMatchObject({ redirect_on_completion: "never", url: null });
    expect(never.return_url).toBeUndefined();
  });

  it("elements: a client_secret and no url", async () => {
    const { stripe } = await setUp();
    const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, ui_mode: "elements", return_url: RETURN_URL });
    expect(session).toMatchObject({ ui_mode: "elements", url: null });
    expect(session.client_secret).toMatch(/_secret_/);
  });

  it("refuses what an embedded_page session cannot have, naming the param", async () => {
    const { stripe } = await setUp();
    const embedded = { mode: "payment", line_items: LINE_ITEMS, ui_mode: "embedded_page" } as const;
    const cases: Array<[Stripe.Checkout.SessionCreateParams, string]> = [
      [{ ...embedded }, "return_url"],
      [{ ...embedded, return_url: RETURN_URL, success_url: "http://app.local/ok" }, "success_url"],
      [{ ...embedded, return_url: RETURN_URL, cancel_url: "http://app.local/cancel" }, "cancel_url"],
      [{ ...embedded, redirect_on_completion: "never", return_url: RETURN_URL }, "return_url"],
      [{ ...embedded, return_url: RETURN_URL, redirect_on_completion: "sometimes" }, "redirect_on_completion"],
      [{ mode: "payment", line_items: LINE_ITEMS }, "success_url"],
      [{ mode: "payment", line_items: LINE_ITEMS, success_url: "http://app.local/ok", return_url: RETURN_URL }, "return_url"],
    ];
    for (const [params, param] of cases) {
      const error = await expectStripeError(stripe.checkout.sessions.create(params));
      expect({ status: error.statusCode, type: error.type, param: error.param }).toEqual({ status: 400, type: "StripeInvalidRequestError", param });
    }
  });

  it("the old names are refused with this API version", async () => {
    const { stripe } = await setUp();
    for (const uiMode of ["hosted", "embedded", "custom"]) {
      const error = await expectStripeError(stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, success_url: "http://app.local/ok", ui_mode: uiMode }));
      expect({ status: error.statusCode, param: error.param }).toEqual({ status: 400, param: "ui_mode" });
    }
  });

  it("an older Stripe-Version sends and gets back the old names (stored under the new ones), and may not use the new ones", async () => {
    const { stripe } = await setUp();
    const older = { apiVersion: OLDER_VERSION };
    const embedded = await stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, ui_mode: "embedded", return_url: RETURN_URL }, older);
    expect(embedded).toMatchObject({ ui_mode: "embedded", url: null });
    expect(embedded.client_secret).toMatch(/_secret_/);
    const hosted = await stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, success_url: "http://app.local/ok" }, older);
    expect(hosted).toMatchObject({ ui_mode: "hosted" });
    const listed = await stripe.checkout.sessions.list({ limit: 10 }, older);
    expect(listed.data.map((session) => session.ui_mode).sort()).toEqual(["embedded", "hosted"]);

    // The same sessions, read with this version, answer today's names.
    expect(await stripe.checkout.sessions.retrieve(embedded.id)).toMatchObject({ ui_mode: "embedded_page" });
    expect(await stripe.checkout.sessions.retrieve(hosted.id)).toMatchObject({ ui_mode: "hosted_page" });

    const refused = await expectStripeError(stripe.checkout.sessions.create({ mode: "payment", line_items: LINE_ITEMS, ui_mode: "embedded_page", return_url: RETURN_URL }, older));
    expect({ status: refused.statusCode, param: refused.param }).toEqual({ status: 400, param: "ui_mode" });
  });
});
