import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { deliverEvent, eventsAbout, payCheckout, billingEmulatorForFile } from "@/test/billing";

// Whether /billing may say anything on a return (lib/billing/returns.ts): a checkout banner only for
// the person's own subscription Checkout Session, and the state from before the portal only from
// their own recent cookie.

const billing = billingEmulatorForFile();

const { startPlanCheckout } = await import("./upgrade");
const { billingReturnFor, isOwnPlanCheckout, portalLookCookie, readPortalLook } = await import("./returns");
const { getBillingOverview } = await import("./queries");

async function newUser() {
  return db().user.create({ data: { email: `returns-${crypto.randomUUID()}@example.test`, emailVerified: new Date() } });
}

const sessionIdOf = (url: string) => new URL(url).pathname.split("/").find((part) => part.startsWith("cs_")) ?? "";

describe("a return from Checkout", () => {
  it("is the person's own while their attempt holds the session and after it completed; a made-up or another person's id is not", async () => {
    const [user, other] = await Promise.all([newUser(), newUser()]);
    const sessionId = sessionIdOf((await startPlanCheckout(user.id, "pro")).url);
    expect(await isOwnPlanCheckout(user.id, sessionId)).toBe(true);
    expect(await isOwnPlanCheckout(other.id, sessionId)).toBe(false);
    expect(await isOwnPlanCheckout(user.id, "cs_made_up")).toBe(false);

    expect((await payCheckout(billing.emulator, sessionId)).status).toBeLessThan(400);
    const { stripeCustomerId } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    for (const event of await eventsAbout(billing.stripe, [sessionId, stripeCustomerId ?? ""])) await deliverEvent(event);
    // The webhook closed the attempt; Stripe still says whose session it was.
    expect(await db().subscriptionCheckout.count({ where: { userId: user.id } })).toBe(0);
    expect(await isOwnPlanCheckout(user.id, sessionId)).toBe(true);
    expect(await isOwnPlanCheckout(other.id, sessionId)).toBe(false);

    const overview = await getBillingOverview(other.id);
    expect(await billingReturnFor(other.id, { checkout: "success", sessionId: "cs_made_up" }, overview, undefined)).toBeNull();
    expect(await billingReturnFor(other.id, { checkout: "success", sessionId }, overview, undefined)).toBeNull();
    expect(await billingReturnFor(other.id, { checkout: "success" }, overview, undefined)).toBeNull();
    expect(await billingReturnFor(user.id, { checkout: "success", sessionId }, await getBillingOverview(user.id), undefined)).toMatchObject({
      kind: "checkout",
      now: { plan: { key: "pro", paid: true } },
    });
  });
});

describe("the state from before the portal", () => {
  it("is read back only for the same person, within the hour; anything else is no look at all", async () => {
    const [user, other] = await Promise.all([newUser(), newUser()]);
    const takenAt = new Date("2027-01-07T10:00:00.000Z");
    const cookie = await portalLookCookie(user.id, takenAt);
    expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/billing" });
    expect(readPortalLook(user.id, cookie.value, new Date(takenAt.getTime() + 60_000))).toEqual({ plan: { key: "free", name: "Free", paid: false }, subscription: null });
    expect(readPortalLook(other.id, cookie.value, takenAt)).toBeNull();
    expect(readPortalLook(user.id, cookie.value, new Date(takenAt.getTime() + 2 * 60 * 60_000))).toBeNull();
    expect(readPortalLook(user.id, "not-a-look", takenAt)).toBeNull();
    expect(readPortalLook(user.id, undefined, takenAt)).toBeNull();
  });
});
