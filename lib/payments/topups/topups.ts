import { db } from "../../core/db";
import { findCreditPack } from "../../billing";
import { appUrl, env } from "../../core/env";
import { ValidationError } from "../../core/errors";
import { formatMoney } from "../../core/money";
import { checkoutPage, createTopUpCheckoutSession, openedCheckout, retrieveEmbeddedClientSecret, type CheckoutPageUi } from "../../stripe";
import { findUserPurchase } from "../purchases";
import { isOpenPurchase } from "../purchases/labels";
import { fromStripeTime } from "../../stripe";
import { ensureStripeCustomer } from "../../billing";
import { wakeEventsAwaiting } from "../../events";

export type TopUpRequest = { packKey: string } | { amountMinor: number };

export interface StartedTopUp {
  purchaseId: string;
  checkoutSessionId: string;
  /** The hosted page to send the browser to (hosted only). */
  url: string | null;
  /** What the page's embedded form is drawn with (embedded only). */
  clientSecret: string | null;
}

/**
 * The address an open embedded purchase is resumed from (the wallet, which reopens its form): stored
 * where a hosted purchase keeps its page, so "still payable" means the same for both.
 */
export function embeddedResumeUrl(purchaseId: string): string {
  return `${appUrl()}/wallet?purchase=${purchaseId}&checkout=resume`;
}

/** The amount and label of a top-up, from the server's pack table or the configured custom range: never from a client price. */
export function resolveTopUp(request: TopUpRequest): { packKey: string | null; amountMinor: number; currency: string; label: string } {
  const currency = env().BILLFOLD_CURRENCY;
  if ("packKey" in request) {
    const pack = findCreditPack(request.packKey);
    if (!pack || pack.currency !== currency) throw new ValidationError(`There is no credit pack called "${request.packKey}".`);
    return { packKey: pack.key, amountMinor: pack.amountMinor, currency, label: `${pack.name} credit pack` };
  }
  const { TOPUP_MIN_MINOR: min, TOPUP_MAX_MINOR: max } = env();
  if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor < min || request.amountMinor > max) {
    throw new ValidationError(`Choose an amount between ${formatMoney(min, currency)} and ${formatMoney(max, currency)}.`);
  }
  return { packKey: null, amountMinor: request.amountMinor, currency, label: `${formatMoney(request.amountMinor, currency)} wallet top-up` };
}

/** Records a pending purchase and opens a Stripe Checkout Session for it, hosted or embedded. */
export async function startTopUp(userId: string, request: TopUpRequest, { ui = "hosted" }: { ui?: CheckoutPageUi } = {}): Promise<StartedTopUp> {
  const topUp = resolveTopUp(request);
  const customerId = await ensureStripeCustomer(userId);
  const purchase = await db().purchase.create({
    data: { userId, packKey: topUp.packKey, amountMinor: topUp.amountMinor, currency: topUp.currency },
  });
  const base = appUrl();
  // Both return addresses name our purchase, so the wallet can show it as it is when the person comes
  // back (and expire its session on a cancel). Stripe substitutes {CHECKOUT_SESSION_ID}; the braces must reach it unencoded.
  const successUrl = `${base}/wallet?purchase=${purchase.id}&checkout=success&session_id={CHECKOUT_SESSION_ID}`;
  const page = checkoutPage(ui, successUrl, `${base}/wallet?purchase=${purchase.id}&checkout=canceled`);
  const session = await createTopUpCheckoutSession({
    purchaseId: purchase.id,
    userId,
    customerId,
    packKey: topUp.packKey,
    productName: topUp.label,
    amountMinor: topUp.amountMinor,
    currency: topUp.currency,
    page,
  });
  const opened = openedCheckout(session, page);
  const checkoutUrl = opened.url ?? embeddedResumeUrl(purchase.id);
  await db().$transaction(async (tx) => {
    // The hosted page and its deadline, so an open purchase can be resumed until Stripe expires it.
    await tx.purchase.update({
      where: { id: purchase.id },
      data: { checkoutSessionId: session.id, checkoutUrl, checkoutExpiresAt: fromStripeTime(session.expires_at) },
    });
    // A payment event that beat this line is unmatched, waiting for the session id; the sweeper runs it now.
    await wakeEventsAwaiting(tx, [purchase.id, session.id]);
  });
  return { purchaseId: purchase.id, checkoutSessionId: session.id, url: opened.url, clientSecret: opened.clientSecret };
}

/**
 * The client secret to draw an open embedded top-up again (its "Resume payment" link), for the
 * purchase's owner only; null when it is someone else's, no longer payable, or was opened hosted.
 */
export async function resumeEmbeddedTopUp(userId: string, purchaseId: string): Promise<{ sessionId: string; clientSecret: string } | null> {
  const purchase = await findUserPurchase(userId, { purchaseId });
  if (!purchase?.checkoutSessionId || !isOpenPurchase(purchase)) return null;
  const clientSecret = await retrieveEmbeddedClientSecret(purchase.checkoutSessionId);
  return clientSecret ? { sessionId: purchase.checkoutSessionId, clientSecret } : null;
}
