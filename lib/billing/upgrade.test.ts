import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { payCheckout, billingEmulatorForFile } from "@/test/billing";

// Billfold's own flows never give a user two subscriptions: double clicks, two tabs, a click after paying.

const billing = billingEmulatorForFile();

const { cancelPlanCheckout, startPlanCheckout, openBillingPortal } = await import("./upgrade");

async function newUser() {
  return db().user.create({ data: { email: `upgrade-${crypto.randomUUID()}@example.test`, emailVerified: new Date() } });
}

async function sessionsOf(customerId: string) {
  return (await billing.stripe.checkout.sessions.list({ customer: customerId, limit: 100 })).data;
}

const sessionIdOf = (url: string) => {
  const id = new URL(url).pathname.split("/").find((part) => part.startsWith("cs_"));
  if (!id) throw new Error(`no session id in ${url}`);
  return id;
};

describe("upgrading", () => {
  it("embedded: a client secret for an embedded_page session returning to /billing; the same attempt on the other page is a new session, and the old one is expired", async () => {
    const user = await newUser();
    const hosted = await startPlanCheckout(user.id, "pro");
    if (hosted.destination !== "checkout") throw new Error("expected Checkout");
    const embedded = await startPlanCheckout(user.id, "pro", { ui: "embedded" });
    if (embedded.destination !== "embedded") throw new Error("expected embedded Checkout");
    expect(embedded.clientSecret).toMatch(new RegExp(`^${embedded.sessionId}_secret_`));
    const session = await billing.stripe.checkout.sessions.retrieve(embedded.sessionId);
    expect(session).toMatchObject({ ui_mode: "embedded_page", redirect_on_completion: "if_required", url: null, status: "open" });
    expect(session.return_url).toMatch(/\/billing\?checkout=success&session_id=\{CHECKOUT_SESSION_ID\}$/);
    expect((await billing.stripe.checkout.sessions.retrieve(sessionIdOf(hosted.url))).status).toBe("expired");
    // A double click on the embedded form gets the same session back.
    expect(await startPlanCheckout(user.id, "pro", { ui: "embedded" })).toEqual(embedded);

    // Closed unpaid: expired at Stripe, and the next click opens a fresh session rather than the expired one.
    expect(await cancelPlanCheckout(user.id, embedded.sessionId)).toEqual({ completed: false });
    expect((await billing.stripe.checkout.sessions.retrieve(embedded.sessionId)).status).toBe("expired");
    const reopened = await startPlanCheckout(user.id, "pro", { ui: "embedded" });
    if (reopened.destination !== "embedded") throw new Error("expected embedded Checkout");
    expect(reopened.sessionId).not.toBe(embedded.sessionId);
    // Nobody else may cancel it.
    const other = await newUser();
    await expect(cancelPlanCheckout(other.id, reopened.sessionId)).rejects.toThrow(/couldn't find/);
  });

  it("a double click gets one customer and one Checkout Session", async () => {
    const user = await newUser();
    const [first, second] = await Promise.all([startPlanCheckout(user.id, "pro"), startPlanCheckout(user.id, "pro")]);
    expect(first).toEqual(second);
    expect(first.destination).toBe("checkout");
    const { stripeCustomerId } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    if (!stripeCustomerId) throw new Error("no customer");
    expect((await billing.stripe.customers.list({ email: user.email })).data).toHaveLength(1);
    const sessions = await sessionsOf(stripeCustomerId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ mode: "subscription", client_reference_id: user.id, status: "open", metadata: { planKey: "pro", purpose: "subscription" } });
    // A later click on the same plan still reuses it.
    expect(await startPlanCheckout(user.id, "pro")).toEqual(first);
  });

  it("a second tab on another plan expires the first session, so only one can ever be paid", async () => {
    const user = await newUser();
    const pro = await startPlanCheckout(user.id, "pro");
    const team = await startPlanCheckout(user.id, "team");
    expect(team.url).not.toBe(pro.url);
    expect((await billing.stripe.checkout.sessions.retrieve(sessionIdOf(pro.url))).status).toBe("expired");

    expect((await payCheckout(billing.emulator, sessionIdOf(team.url))).status).toBe(303);
    const paidStale = await payCheckout(billing.emulator, sessionIdOf(pro.url));
    expect(paidStale.status).not.toBe(303);
    const { stripeCustomerId } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    const subscriptions = await billing.stripe.subscriptions.list({ customer: stripeCustomerId ?? "", status: "all" });
    expect(subscriptions.data.map((subscription) => subscription.status)).toEqual(["active"]);

    // Subscribed (before any webhook has landed): Upgrade now leads to the portal, never to a second Checkout.
    const again = await startPlanCheckout(user.id, "pro");
    expect(again.destination).toBe("portal");
    expect(await sessionsOf(stripeCustomerId ?? "")).toHaveLength(2);
  });

  it("two tabs racing on different plans leave at most one session open", async () => {
    const user = await newUser();
    const results = await Promise.allSettled([startPlanCheckout(user.id, "pro"), startPlanCheckout(user.id, "team")]);
    expect(results.some((result) => result.status === "fulfilled")).toBe(true);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "upgrade_superseded", status: 409 });
    const { stripeCustomerId } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    const open = (await sessionsOf(stripeCustomerId ?? "")).filter((session) => session.status === "open");
    expect(open).toHaveLength(1);
  });

  it("refuses a plan that is not for sale", async () => {
    const user = await newUser();
    await expect(startPlanCheckout(user.id, "free")).rejects.toMatchObject({ code: "validation_error", status: 422 });
    await expect(startPlanCheckout(user.id, "platinum")).rejects.toMatchObject({ code: "validation_error" });
  });

  it("the portal needs a billing account, and says so clearly", async () => {
    const user = await newUser();
    await expect(openBillingPortal(user.id)).rejects.toMatchObject({ code: "no_billing_account", status: 409 });
    await startPlanCheckout(user.id, "pro");
    const { url } = await openBillingPortal(user.id);
    expect(url).toContain("/portal/");
  });
});
