import { z } from "zod";
import { db } from "../core/db";
import { appUrl } from "../core/env";
import { log } from "../core/log";
import { retrieveCheckoutSessionIfAny } from "../stripe";
import type { BillingLook, BillingReturn } from "./labels";
import { getBillingOverview, type BillingOverview } from "./queries";

// What /billing says when the person comes back from Checkout or the Customer Portal, decided from
// state, never from the address alone: a checkout banner only for this person's own subscription
// Checkout Session, and a portal banner that compares the billing state from before the portal
// (kept in a short-lived cookie when the portal is opened) with the state now.

/** The billing state as the page's banners compare it. */
export async function getBillingLook(userId: string): Promise<BillingLook> {
  return lookOf(await getBillingOverview(userId));
}

function lookOf({ plan, subscription }: Pick<BillingOverview, "plan" | "subscription">): BillingLook {
  return {
    plan: { key: plan.key, name: plan.name, paid: plan.purchasable },
    subscription: subscription && { status: subscription.status, cancelsAt: subscription.cancelsAt?.toISOString() ?? null },
  };
}

/**
 * Whether this is the person's own subscription Checkout Session: their upgrade attempt still holds
 * it, or (once the webhook closed the attempt) Stripe says it was theirs. A made-up or someone else's
 * id is not, and neither is one Stripe cannot be asked about just now (the page then says nothing).
 */
export async function isOwnPlanCheckout(userId: string, sessionId: string): Promise<boolean> {
  const attempt = await db().subscriptionCheckout.findFirst({ where: { userId, checkoutSessionId: sessionId }, select: { userId: true } });
  if (attempt) return true;
  try {
    const session = await retrieveCheckoutSessionIfAny(sessionId);
    return session !== null && session.mode === "subscription" && session.status === "complete" && session.metadata?.billfoldUserId === userId;
  } catch (error) {
    log.warn("plan_checkout_lookup_failed", { userId, sessionId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return false;
  }
}

/** The cookie that carries the billing state from before the portal to the page the portal returns to. */
export const PORTAL_LOOK_COOKIE = "billfold_before_portal";
/** A look older than this is not "before the portal" any more. */
const PORTAL_LOOK_MAX_AGE_SECONDS = 60 * 60;

const portalLookSchema = z.object({
  userId: z.string(),
  takenAt: z.number(),
  look: z.object({
    plan: z.object({ key: z.string(), name: z.string(), paid: z.boolean() }),
    subscription: z.object({ status: z.string(), cancelsAt: z.string().nullable() }).nullable(),
  }),
});

/** The cookie to set as the person leaves for the portal: their billing state now. */
export async function portalLookCookie(userId: string, now = new Date()) {
  const value = Buffer.from(JSON.stringify({ userId, takenAt: now.getTime(), look: await getBillingLook(userId) })).toString("base64url");
  return {
    name: PORTAL_LOOK_COOKIE,
    value,
    options: { httpOnly: true, sameSite: "lax" as const, secure: appUrl().startsWith("https:"), path: "/billing", maxAge: PORTAL_LOOK_MAX_AGE_SECONDS },
  };
}

/** The billing state from before the portal, if the cookie holds this person's recent one. */
export function readPortalLook(userId: string, value: string | undefined, now = new Date()): BillingLook | null {
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const cookie = portalLookSchema.safeParse(parsed);
  if (!cookie.success || cookie.data.userId !== userId) return null;
  const age = now.getTime() - cookie.data.takenAt;
  return age >= 0 && age <= PORTAL_LOOK_MAX_AGE_SECONDS * 1000 ? cookie.data.look : null;
}

export interface BillingReturnQuery {
  checkout?: "success" | "canceled";
  sessionId?: string;
  portal?: "returned" | "no-account" | "unavailable";
  /** Back from confirming a plan switch on the page itself. */
  switched?: boolean;
}

/**
 * The banner for a return to /billing, or null. The page removes the query once the banner is
 * shown, so a reload shows none; a made-up session id shows none at all.
 */
export async function billingReturnFor(
  userId: string,
  query: BillingReturnQuery,
  overview: Pick<BillingOverview, "plan" | "subscription" | "version">,
  beforePortalCookie: string | undefined,
): Promise<BillingReturn | null> {
  const now = lookOf(overview);
  if (query.checkout === "success") {
    return query.sessionId && (await isOwnPlanCheckout(userId, query.sessionId)) ? { kind: "checkout", version: overview.version, now } : null;
  }
  if (query.checkout === "canceled") return { kind: "message", text: `Checkout canceled. Nothing was charged; you're still on the ${overview.plan.name} plan.` };
  // Without the look from before the portal (opened elsewhere, or long ago), the page's own look stands in: later changes still show.
  if (query.portal === "returned") return { kind: "portal", version: overview.version, before: readPortalLook(userId, beforePortalCookie) ?? now, now };
  // The look from before the switch is kept in the same cookie; without it there is nothing to compare, so no banner.
  if (query.switched) {
    const before = readPortalLook(userId, beforePortalCookie);
    return before ? { kind: "switch", version: overview.version, before, now } : null;
  }
  if (query.portal === "no-account") return { kind: "message", text: "You don't have a billing account yet. Choose a plan below to start one." };
  if (query.portal === "unavailable") return { kind: "message", text: "We couldn't open the billing portal just now. Please try again in a minute." };
  return null;
}
