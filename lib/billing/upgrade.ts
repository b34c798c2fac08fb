import { randomUUID } from "node:crypto";
import { db } from "../core/db";
import { appUrl } from "../core/env";
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from "../core/errors";
import { log } from "../core/log";
import { createBillingPortalSession, createSubscriptionCheckoutSession, findPriceByLookupKey, listLiveSubscriptions } from "../stripe";
import { checkoutPage, expireCheckoutSession, openedCheckout, type CheckoutPageUi } from "../stripe";
import { ensureStripeCustomer } from "./customer";

// Starting a plan. The rule: a user never ends up with two subscriptions through Billfold.
// - Stripe, not the mirror, says whether one exists (the webhook may not have landed yet); if one
//   does, the user is sent to the portal to change it instead.
// - A user has at most one upgrade in flight (SubscriptionCheckout, one row per user). A repeated
//   click, or a second tab, on the same plan reuses its idempotency key, so Stripe hands back the same
//   Checkout Session. Another plan starts a new attempt and expires the old session first; if that
//   session was completed meanwhile, there is a subscription now and the user goes to the portal.
// - Two attempts racing: the row lock orders them; the one that lost finds its attempt replaced when
//   it saves its session, expires that session itself and says so.

export type HostedPlanCheckout = { destination: "checkout" | "portal"; url: string };

export type PlanCheckout =
  | HostedPlanCheckout
  /** Stripe's form embedded in /billing: its client secret, for the signed-in person's page only. */
  | { destination: "embedded"; sessionId: string; clientSecret: string };

const REUSE_MARGIN_MS = 5 * 60 * 1000;

function billingUrl(query: string): string {
  return `${appUrl()}/billing?${query}`;
}

async function portalFor(customerId: string): Promise<PlanCheckout & { destination: "portal" }> {
  const session = await createBillingPortalSession(customerId, billingUrl("portal=returned"));
  return { destination: "portal", url: session.url };
}

/**
 * Claims the user's upgrade slot for this plan: the same attempt as before, or a new one replacing it.
 * An attempt is reused only on the same page (hosted or embedded): its idempotency key names the page,
 * so the same attempt on the other page would be a second open session for it.
 */
async function claimAttempt(userId: string, planKey: string, ui: CheckoutPageUi): Promise<{ attemptId: string; replacedSessionId: string | null }> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO "SubscriptionCheckout" ("userId", "attemptId", "planKey", "createdAt", "updatedAt")
      VALUES (${userId}, ${randomUUID()}, ${planKey}, now(), now())
      ON CONFLICT ("userId") DO NOTHING`;
    const [current] = await tx.$queryRaw<Array<{ attemptId: string; planKey: string; checkoutSessionId: string | null; url: string | null; expiresAt: Date | null }>>`
      SELECT "attemptId", "planKey", "checkoutSessionId", "url", "expiresAt" FROM "SubscriptionCheckout" WHERE "userId" = ${userId} FOR UPDATE`;
    if (!current) throw new Error(`the upgrade slot of user ${userId} vanished`);
    const fresh = !current.expiresAt || current.expiresAt.getTime() > Date.now() + REUSE_MARGIN_MS;
    // A saved session has a URL when hosted and none when embedded.
    const samePage = current.checkoutSessionId === null || (current.url !== null) === (ui === "hosted");
    if (current.planKey === planKey && fresh && samePage) return { attemptId: current.attemptId, replacedSessionId: null };
    const attemptId = randomUUID();
    await tx.subscriptionCheckout.update({
      where: { userId },
      data: { attemptId, planKey, checkoutSessionId: null, url: null, expiresAt: null },
    });
    return { attemptId, replacedSessionId: current.checkoutSessionId };
  });
}

/**
 * Where to send a user who chose a paid plan: Stripe Checkout for a new subscription (hosted, or
 * embedded in /billing), or the portal when they already have one. Safe to call twice at once.
 */
export async function startPlanCheckout(userId: string, planKey: string): Promise<HostedPlanCheckout>;
export async function startPlanCheckout(userId: string, planKey: string, options: { ui: CheckoutPageUi }): Promise<PlanCheckout>;
export async function startPlanCheckout(userId: string, planKey: string, { ui = "hosted" }: { ui?: CheckoutPageUi } = {}): Promise<PlanCheckout> {
  const plan = await db().plan.findUnique({ where: { key: planKey } });
  if (!plan || !plan.active || !plan.stripePriceLookupKey) throw new ValidationError(`There is no paid plan called "${planKey}".`);
  const customerId = await ensureStripeCustomer(userId);
  if ((await listLiveSubscriptions(customerId)).length > 0) return portalFor(customerId);
  const price = await findPriceByLookupKey(plan.stripePriceLookupKey);
  if (!price) {
    log.error("plan_price_missing", { planKey, lookupKey: plan.stripePriceLookupKey, hint: "run npm run stripe:setup" });
    throw new ServiceUnavailableError("plan_unavailable", `The ${plan.name} plan can't be bought right now. Please try again later.`);
  }

  const { attemptId, replacedSessionId } = await claimAttempt(userId, planKey, ui);
  if (replacedSessionId) {
    const replaced = await expireCheckoutSession(replacedSessionId);
    if (replaced.status === "complete") return portalFor(customerId);
  }
  // Stripe substitutes {CHECKOUT_SESSION_ID}; the braces must reach it unencoded.
  const successUrl = billingUrl("checkout=success&session_id={CHECKOUT_SESSION_ID}");
  const page = checkoutPage(ui, successUrl, billingUrl("checkout=canceled"));
  const session = await createSubscriptionCheckoutSession({
    attemptId,
    userId,
    customerId,
    planKey,
    priceId: price.id,
    page,
  });
  const opened = openedCheckout(session, page);
  const saved = await db().subscriptionCheckout.updateMany({
    where: { userId, attemptId },
    data: { checkoutSessionId: session.id, url: opened.url, expiresAt: opened.expiresAt },
  });
  if (saved.count === 0) {
    // Another tab started a different upgrade while this one was talking to Stripe: that one wins.
    await expireCheckoutSession(session.id);
    throw new ConflictError("upgrade_superseded", "You started another upgrade in a different tab. Continue there, or try again here.");
  }
  if (opened.clientSecret) return { destination: "embedded", sessionId: session.id, clientSecret: opened.clientSecret };
  if (!opened.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return { destination: "checkout", url: opened.url };
}

/**
 * Calls off the user's upgrade in progress on an embedded form that was closed unpaid: Stripe
 * expires the session and the slot is freed. Answers whether the session completed first (then the
 * subscription's webhooks settle it and the page says so instead).
 */
export async function cancelPlanCheckout(userId: string, sessionId: string): Promise<{ completed: boolean }> {
  const attempt = await db().subscriptionCheckout.findFirst({ where: { userId, checkoutSessionId: sessionId } });
  if (!attempt) throw new NotFoundError("We couldn't find that checkout on your account.");
  const session = await expireCheckoutSession(sessionId);
  if (session.status === "complete") return { completed: true };
  // A new attempt id: the next click must not get this expired session back under the old idempotency key.
  await db().subscriptionCheckout.updateMany({ where: { userId, checkoutSessionId: sessionId }, data: { attemptId: randomUUID(), checkoutSessionId: null, url: null, expiresAt: null } });
  return { completed: false };
}

/** A Stripe Customer Portal session for the user, returning to /billing. */
export async function openBillingPortal(userId: string): Promise<{ url: string }> {
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user?.stripeCustomerId) {
    throw new ConflictError("no_billing_account", "You don't have a billing account yet. Choose a plan to start one.");
  }
  const session = await createBillingPortalSession(user.stripeCustomerId, billingUrl("portal=returned"));
  return { url: session.url };
}
