import "server-only";
import Stripe from "stripe";
import { stripe } from "./client";

/**
 * Where the person pays, and where Stripe sends them afterwards. Hosted: Stripe's page, back to
 * success_url or cancel_url. Embedded: Stripe's form drawn in the app's page (Stripe.js), which only
 * leaves the page if a payment method must redirect (`redirect_on_completion: "if_required"`, to
 * return_url: the hosted success URL); otherwise the page's onComplete takes over.
 */
export type CheckoutPage = { ui: "hosted"; successUrl: string; cancelUrl: string } | { ui: "embedded"; returnUrl: string };

/** Where a Checkout Session is paid: Stripe's hosted page, or its form embedded in the app's page. */
export type CheckoutPageUi = CheckoutPage["ui"];

/**
 * The page of a session whose hosted form returns to `successUrl` or `cancelUrl`. Embedded, the form has
 * no cancel link (the app's dialog closes instead) and returns to `successUrl` only if a payment method
 * had to leave the page.
 */
export function checkoutPage(ui: CheckoutPageUi, successUrl: string, cancelUrl: string): CheckoutPage {
  return ui === "hosted" ? { ui, successUrl, cancelUrl } : { ui, returnUrl: successUrl };
}

/** A Checkout Session as the app needs it: the hosted page's URL, or the embedded form's client secret. */
export interface OpenedCheckout {
  sessionId: string;
  ui: CheckoutPageUi;
  /** The hosted page (hosted only). */
  url: string | null;
  /** What Stripe.js draws the embedded form with (embedded only); for the session's owner's browser alone. */
  clientSecret: string | null;
  expiresAt: Date;
}

/** The create parameters that pick the page. */
export function checkoutPageParams(page: CheckoutPage): Pick<Stripe.Checkout.SessionCreateParams, "ui_mode" | "success_url" | "cancel_url" | "return_url" | "redirect_on_completion"> {
  if (page.ui === "hosted") return { ui_mode: "hosted_page", success_url: page.successUrl, cancel_url: page.cancelUrl };
  return { ui_mode: "embedded_page", redirect_on_completion: "if_required", return_url: page.returnUrl };
}

/**
 * Idempotency keys name the attempt and, for embedded, the page: Stripe refuses a key reused with
 * other parameters, and the same attempt may be opened hosted after embedded (Stripe.js did not load).
 */
export function checkoutIdempotencyKey(base: string, page: CheckoutPage): string {
  return page.ui === "hosted" ? base : `${base}:embedded`;
}

/** Checks the session has what its page needs: a URL (hosted) or a client secret (embedded). */
export function openedCheckout(session: Stripe.Checkout.Session, page: CheckoutPage): OpenedCheckout {
  if (page.ui === "hosted" && !session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  if (page.ui === "embedded" && !session.client_secret) throw new Error(`Stripe returned embedded checkout session ${session.id} without a client secret`);
  return {
    sessionId: session.id,
    ui: page.ui,
    url: page.ui === "hosted" ? session.url : null,
    clientSecret: page.ui === "embedded" ? session.client_secret : null,
    expiresAt: new Date(session.expires_at * 1000),
  };
}

export interface CreateTopUpSessionOptions {
  purchaseId: string;
  userId: string;
  customerId: string;
  packKey: string | null;
  productName: string;
  amountMinor: number;
  currency: string;
  page: CheckoutPage;
}

/** A Checkout Session in payment mode for a wallet top-up. The amount comes from the server's catalog or validated input. */
export async function createTopUpCheckoutSession(options: CreateTopUpSessionOptions): Promise<Stripe.Checkout.Session> {
  // Stripe metadata values are strings; an empty string marks a custom amount.
  const metadata = {
    billfoldUserId: options.userId,
    billfoldPurchaseId: options.purchaseId,
    purpose: "topup",
    packKey: options.packKey ?? "",
  };
  return stripe().checkout.sessions.create(
    {
      mode: "payment",
      customer: options.customerId,
      client_reference_id: options.userId,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: options.currency.toLowerCase(),
            unit_amount: options.amountMinor,
            product_data: { name: options.productName },
          },
        },
      ],
      metadata,
      // Copied onto the PaymentIntent, so its own events lead back to the purchase.
      payment_intent_data: { metadata },
      ...checkoutPageParams(options.page),
    },
    { idempotencyKey: checkoutIdempotencyKey(`checkout:${options.purchaseId}`, options.page) },
  );
}

/** The client secret of an open embedded session, for its owner's page to draw it again; null once it can no longer be paid. */
export async function retrieveEmbeddedClientSecret(sessionId: string): Promise<string | null> {
  const session = await stripe().checkout.sessions.retrieve(sessionId);
  return session.status === "open" && session.ui_mode === "embedded_page" ? session.client_secret : null;
}

export function retrieveCheckoutSession(sessionId: string): Promise<Stripe.Checkout.Session> {
  return stripe().checkout.sessions.retrieve(sessionId);
}

/**
 * Expires an open session (`checkout.sessions.expire`) so it can no longer be paid, and returns the
 * session as it ends up: `expired`, or `complete` when the customer paid first, or still `open` when
 * Stripe refused because a payment on it is in progress. Only open sessions can be expired; Stripe
 * answers any other with an invalid-request error, after which the session is read again.
 */
export async function expireCheckoutSession(sessionId: string): Promise<Stripe.Checkout.Session> {
  const session = await stripe().checkout.sessions.retrieve(sessionId);
  if (session.status !== "open") return session;
  try {
    return await stripe().checkout.sessions.expire(sessionId);
  } catch (error) {
    // Completed or expired between the two calls (or a payment is under way): report what it is now.
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return stripe().checkout.sessions.retrieve(sessionId);
    throw error;
  }
}
