import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { db, type Tx } from "../../core/db";
import { appUrl, env } from "../../core/env";
import { NotFoundError } from "../../core/errors";
import type { HandlerContext } from "../../events";
import { ensureStripeCustomer } from "../../billing";
import { log } from "../../core/log";
import { checkoutPage, createCardSetupSession, expireCheckoutSession, retrieveSetupSession, type CardSetupResult, type CheckoutPageUi, type OpenedCheckout } from "../../stripe";
import { ensureAutoRechargeRow, type CardOnFile } from "./settings";

// Saving the card auto-recharge charges: a setup-mode Checkout Session (Stripe runs any 3-D Secure
// the bank wants now, while the person is there), then the SetupIntent's card is stored on the
// wallet's AutoRecharge row. Two roads lead to completeCardSetup, and either may come first:
// the person's return from Checkout (so the page shows the card at once) and checkout.session.completed.

/** The purpose our setup sessions carry in their metadata (top-ups carry "topup"). */
export const CARD_SETUP_PURPOSE = "auto_recharge_card";

export type StartedCardSetup = OpenedCheckout;

/** Where Checkout sends the person back: a route that saves the card, then shows the wallet. */
export function cardSetupReturnPath(outcome: "saved" | "pending" | "canceled"): string {
  return `/wallet?card=${outcome}#auto-recharge`;
}

/**
 * Opens a setup-mode Checkout for the user's auto-recharge card, hosted or embedded in the wallet
 * page, and remembers it on the wallet's settings (created off, with the defaults, when the wallet
 * has none). `requestKey` (made when the form rendered) makes a resubmitted form open the same session.
 */
export async function startCardSetup(
  userId: string,
  { requestKey = randomUUID(), ui = "hosted" }: { requestKey?: string; ui?: CheckoutPageUi } = {},
): Promise<StartedCardSetup> {
  const currency = env().BILLFOLD_CURRENCY;
  const customerId = await ensureStripeCustomer(userId);
  const settings = await db().$transaction((tx) => ensureAutoRechargeRow(tx, userId, currency));
  const base = appUrl();
  // Stripe substitutes {CHECKOUT_SESSION_ID}; the braces must reach it unencoded.
  const successUrl = `${base}/api/wallet/auto-recharge/card/return?session_id={CHECKOUT_SESSION_ID}`;
  const page = checkoutPage(ui, successUrl, `${base}${cardSetupReturnPath("canceled")}`);
  const session = await createCardSetupSession({
    customerId,
    currency,
    page,
    metadata: { billfoldUserId: userId, billfoldWalletId: settings.walletId, purpose: CARD_SETUP_PURPOSE },
    idempotencyKey: `card_setup:${settings.walletId}:${requestKey}`,
  });
  await db().autoRecharge.update({ where: { walletId: settings.walletId }, data: { setupSessionId: session.sessionId } });
  return session;
}

/**
 * Calls off the user's card setup in progress (its embedded dialog was closed): Stripe expires the
 * session, so it can no longer save a card. A session that completed meanwhile is saved instead.
 */
export async function cancelCardSetup(userId: string, sessionId: string): Promise<CardSetupOutcome> {
  const setup = await retrieveSetupSession(sessionId);
  if (setup.metadata.purpose !== CARD_SETUP_PURPOSE || setup.metadata.billfoldUserId !== userId) throw new NotFoundError("No such card setup.");
  const closed = await expireCheckoutSession(sessionId);
  if (closed.status === "complete") return completeCardSetup(sessionId, { userId });
  return { outcome: "not_completed" };
}

/** True for a completed Checkout that saved a card for auto-recharge (checkout.session.completed, mode setup). */
export function isCardSetupSession(session: Pick<Stripe.Checkout.Session, "mode" | "metadata">): boolean {
  return session.mode === "setup" && session.metadata?.purpose === CARD_SETUP_PURPOSE;
}

export type CardSetupOutcome =
  /** The card is on the wallet's settings now (or already was). */
  | { outcome: "saved"; card: CardOnFile }
  /** The session has not saved a card (yet): still open, expired, or its SetupIntent did not succeed. */
  | { outcome: "not_completed" }
  /** Not a session this app opened for this wallet, or an older one than the card it has since saved. */
  | { outcome: "ignored" };

/**
 * Reads a setup session from Stripe and stores its card. With `userId` (the return from Checkout),
 * a session of another user's wallet is a 404.
 */
export async function completeCardSetup(sessionId: string, { userId }: { userId?: string } = {}): Promise<CardSetupOutcome> {
  const setup = await retrieveSetupSession(sessionId);
  return db().$transaction((tx) => saveSetupCard(tx, setup, { userId }));
}

/** checkout.session.completed for a card setup: the card is read from Stripe first, then stored with the event's commit. */
export async function completeCardSetupFromEvent(session: Stripe.Checkout.Session, { commit }: HandlerContext): Promise<void> {
  const setup = await retrieveSetupSession(session.id);
  await commit(async (tx) => {
    await saveSetupCard(tx, setup);
  });
}

/**
 * Stores the card a setup session saved on its wallet's AutoRecharge row, under the wallet's lock (the
 * ledger reads the row there when it queues a recharge). Only the session the wallet is waiting for
 * (setupSessionId) may replace a saved card, so a replayed event of an older session never brings
 * back a card the person has since replaced; the first card is taken from any of our sessions.
 * Idempotent: the return and the webhook both call it.
 */
export async function saveSetupCard(tx: Tx, setup: CardSetupResult, { userId }: { userId?: string } = {}): Promise<CardSetupOutcome> {
  if (setup.metadata.purpose !== CARD_SETUP_PURPOSE || !setup.metadata.billfoldWalletId) return { outcome: "ignored" };
  const wallet = await tx.wallet.findUnique({ where: { id: setup.metadata.billfoldWalletId }, include: { user: { select: { stripeCustomerId: true } } } });
  if (userId !== undefined && wallet?.userId !== userId) throw new NotFoundError("No such card setup.");
  if (!wallet) return { outcome: "ignored" };
  if (setup.customerId !== wallet.user.stripeCustomerId) {
    log.warn("card_setup_customer_mismatch", { sessionId: setup.sessionId, walletId: wallet.id });
    return { outcome: "ignored" };
  }
  const card = setup.paymentMethod;
  if (!card) return { outcome: "not_completed" };
  const row = await ensureAutoRechargeRow(tx, wallet.userId, wallet.currency);
  if (row.paymentMethodId === card.id) return { outcome: "saved", card: { brand: row.cardBrand, last4: row.cardLast4 } };
  if (row.paymentMethodId && row.setupSessionId !== setup.sessionId) return { outcome: "ignored" };
  await tx.autoRecharge.update({
    where: { walletId: wallet.id },
    data: { paymentMethodId: card.id, cardBrand: card.brand, cardLast4: card.last4, setupSessionId: null },
  });
  return { outcome: "saved", card: { brand: card.brand, last4: card.last4 } };
}
