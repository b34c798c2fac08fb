import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/core/db";
import { deliverEvent, eventsAbout, linkedUser, payCheckout, priceIdFor, startBillingEmulator } from "@/test/billing";

// The plan and billing routes through their real handlers and next-auth sessions, against the
// emulator: POST /api/checkout (kind: subscription), POST /api/portal, GET /api/billing and the
// emailed GET /billing/portal link. The emulator is pointed at before any app module reads the env.

const billing = await startBillingEmulator();
afterAll(() => billing.emulator.close());
const { callRoute, sessionCookie } = await import("@/test/next-request");
const { POST: checkoutPOST } = await import("../checkout/route");
const { POST: portalPOST } = await import("../portal/route");
const { GET: billingGET } = await import("./route");
const { GET: portalLinkGET } = await import("@/app/(dashboard)/billing/portal/route");

type User = { id: string; email: string };

async function newUser(): Promise<User> {
  return db().user.create({ data: { email: `billing-route-${randomUUID()}@example.test` } });
}

const ROUTES = {
  "POST /api/checkout": checkoutPOST,
  "POST /api/portal": portalPOST,
  "GET /api/billing": billingGET,
  "GET /billing/portal": portalLinkGET,
};

async function request(route: keyof typeof ROUTES, { user, body }: { user?: User; body?: unknown } = {}) {
  const [method = "GET", path = "/"] = route.split(" ");
  const headers = new Headers(user ? { cookie: await sessionCookie(user) } : {});
  if (body !== undefined) headers.set("content-type", "application/json");
  const init: RequestInit = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const response = await callRoute(ROUTES[route], new Request(`http://localhost:3000${path}`, init));
  const text = await response.text();
  return { status: response.status, location: response.headers.get("location"), body: text ? JSON.parse(text) : null };
}

const subscribe = (user: User, planKey = "pro") => request("POST /api/checkout", { user, body: { kind: "subscription", planKey } });
const sessionIdIn = (url: string) => new URL(url).pathname.split("/").find((part) => part.startsWith("cs_")) ?? "";

describe("signed out", () => {
  it("the JSON routes answer 401 in the one error shape, and the portal link sends the browser to sign in and back", async () => {
    const unauthorized = { error: { code: "unauthorized", message: "Sign in to continue." } };
    expect(await request("POST /api/checkout", { body: { kind: "subscription", planKey: "pro" } })).toMatchObject({ status: 401, body: unauthorized });
    expect(await request("POST /api/portal")).toMatchObject({ status: 401, body: unauthorized });
    expect(await request("GET /api/billing")).toMatchObject({ status: 401, body: unauthorized });
    const link = await request("GET /billing/portal");
    expect(link.status).toBe(307);
    expect(link.location).toBe("/signin?callbackUrl=%2Fbilling%2Fportal");
  });
});

describe("POST /api/checkout with kind: subscription", () => {
  it("answers 201 { destination: checkout, url }; two at once get the same Checkout Session", async () => {
    const user = await newUser();
    const [first, second] = await Promise.all([subscribe(user), subscribe(user)]);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ destination: "checkout", url: expect.stringMatching(new RegExp(`^${billing.emulator.url}/checkout/cs_`)) });
    expect(second.body).toEqual(first.body);
    const session = await billing.stripe.checkout.sessions.retrieve(sessionIdIn(first.body.url), { expand: ["line_items.data.price"] });
    expect(session).toMatchObject({ mode: "subscription", client_reference_id: user.id, metadata: { planKey: "pro", billfoldUserId: user.id } });
    expect(session.line_items?.data.map((line) => line.price?.lookup_key)).toEqual(["billfold_pro_monthly"]);
    expect(session.success_url).toBe("http://localhost:3000/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}");
    expect(session.cancel_url).toBe("http://localhost:3000/billing?checkout=canceled");
  });

  it("sends a user who already subscribes to the portal instead of a second Checkout", async () => {
    const user = await newUser();
    const started = await subscribe(user);
    expect((await payCheckout(billing.emulator, sessionIdIn(started.body.url))).status).toBe(303);
    const again = await subscribe(user, "team");
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ destination: "portal", url: expect.stringMatching(new RegExp(`^${billing.emulator.url}/portal/`)) });
    const { stripeCustomerId } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect((await billing.stripe.subscriptions.list({ customer: stripeCustomerId ?? "" })).data).toHaveLength(1);
  });

  it("refuses a plan that cannot be bought, a price from the client, and keeps top-ups without kind working", async () => {
    const user = await newUser();
    for (const body of [{ kind: "subscription", planKey: "platinum" }, { kind: "subscription", planKey: "free" }]) {
      const refused = await request("POST /api/checkout", { user, body });
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.body.error.code).toBe("validation_error");
    }
    const withPrice = await request("POST /api/checkout", { user, body: { kind: "subscription", planKey: "pro", price: "price_cheap" } });
    expect(withPrice.status).toBe(422);

    const topUp = await request("POST /api/checkout", { user, body: { packKey: "starter" } });
    expect(topUp.status).toBe(201);
    expect(topUp.body).toMatchObject({ checkoutSessionId: expect.stringMatching(/^cs_/), url: expect.stringContaining("/checkout/cs_") });
    const session = await billing.stripe.checkout.sessions.retrieve(topUp.body.checkoutSessionId);
    expect(session).toMatchObject({ mode: "payment", amount_total: 500 }); // £5.00
  });
});

describe("the portal", () => {
  it("POST /api/portal is 409 no_billing_account without a Stripe customer, then 201 { url } with one", async () => {
    const user = await newUser();
    expect(await request("POST /api/portal", { user })).toEqual({
      status: 409,
      location: null,
      body: { error: { code: "no_billing_account", message: "You don't have a billing account yet. Choose a plan to start one." } },
    });
    await subscribe(user); // creates the customer
    const opened = await request("POST /api/portal", { user });
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({ url: expect.stringMatching(new RegExp(`^${billing.emulator.url}/portal/`)) });
  });

  it("GET /billing/portal redirects (303) to a new portal session, or to /billing with a message without an account", async () => {
    const user = await newUser();
    const none = await request("GET /billing/portal", { user });
    expect(none).toMatchObject({ status: 303, location: "http://localhost:3000/billing?portal=no-account" });
    await subscribe(user);
    const first = await request("GET /billing/portal", { user });
    const second = await request("GET /billing/portal", { user });
    expect(first.status).toBe(303);
    expect(first.location).toMatch(new RegExp(`^${billing.emulator.url}/portal/`));
    // Each click gets a session of its own (they expire), returning to /billing.
    expect(second.location).not.toBe(first.location);
  });
});

describe("GET /api/billing", () => {
  it("gives the plan and a version that changes when the subscription mirror does", async () => {
    const user = await newUser();
    const free = await request("GET /api/billing", { user });
    expect(free).toMatchObject({ status: 200, body: { plan: { key: "free", name: "Free", paid: false }, subscription: null, version: expect.any(String) } });

    const now = Date.now();
    await db().subscription.create({
      data: {
        id: `sub_test_${randomUUID().replaceAll("-", "")}`,
        userId: user.id,
        stripeCustomerId: "cus_test_route",
        planKey: "pro",
        status: "active",
        cancelAtPeriodEnd: true,
        currentPeriodStart: new Date(now - 86_400_000),
        currentPeriodEnd: new Date("2027-03-12T10:00:00Z"),
        stripeCreatedAt: new Date(now - 86_400_000),
      },
    });
    const pro = await request("GET /api/billing", { user });
    expect(pro.body).toMatchObject({ plan: { key: "pro", name: "Pro", paid: true }, subscription: { status: "active", cancelsAt: "2027-03-12T10:00:00.000Z" } });
    expect(pro.body.version).not.toBe(free.body.version);
  });

  it("shows a subscription on a price with no Billfold plan (£12/month on the Pro product) as unrecognised, not as an active Free plan", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
    const proPrice = await billing.stripe.prices.retrieve(await priceIdFor(billing.stripe, "billfold_pro_monthly"));
    const odd = await billing.stripe.prices.create({ currency: "gbp", unit_amount: 1200, recurring: { interval: "month" }, product: String(proPrice.product) }); // £12.00
    const attached = await billing.stripe.paymentMethods.attach("pm_card_visa", { customer: customerId });
    await billing.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: attached.id } });
    const subscription = await billing.stripe.subscriptions.create({ customer: customerId, items: [{ price: odd.id }], metadata: { billfoldUserId: userId } });
    for (const event of await eventsAbout(billing.stripe, [subscription.id], ["customer.subscription.created"])) await deliverEvent(event);

    const answer = await request("GET /api/billing", { user });
    expect(answer.body).toMatchObject({
      plan: { key: "free", paid: false },
      subscription: {
        status: "active",
        recognised: false,
        unrecognised: { description: "a subscription Billfold doesn't recognise: £12.00 a month", amountMinor: 1200, currency: "GBP", interval: "month", intervalCount: 1 },
      },
    });
  });
});
