import type { Purchase } from "../../generated/prisma/client";
import { findCreditPack, isAutoRechargePack } from "../../billing";
import { formatMoney } from "../../core/money";
import { FAILURE_SENTENCES } from "./failures";

// What a person sees of a purchase, in one place for the wallet's list, the banner after Checkout, the
// wallet API and the admin console. The stored status says how the payment went; after it was paid,
// refunds and disputes (kept in step with the ledger by ./refunds.ts and ./disputes.ts) say what became
// of the money. Each state has a label, a tone for its badge and one plain sentence.

export type PurchaseState =
  | "awaiting_payment"
  | "processing"
  | "paid"
  | "failed"
  | "expired"
  | "canceled"
  | "refunded"
  | "partially_refunded"
  | "disputed"
  | "dispute_won"
  | "dispute_lost";

/** The tones of components/status-badge.tsx that purchases use. */
export type PurchaseTone = "success" | "neutral" | "info" | "warning" | "danger";

export interface PurchaseDisplay {
  state: PurchaseState;
  label: string;
  tone: PurchaseTone;
  sentence: string;
}

export type DisplayedPurchase = Pick<Purchase, "status" | "amountMinor" | "currency" | "refundedMinor" | "disputeStatus" | "disputedMinor" | "failureMessage">;

const LABELS: Readonly<Record<PurchaseState, { label: string; tone: PurchaseTone }>> = {
  awaiting_payment: { label: "Awaiting payment", tone: "neutral" },
  processing: { label: "Processing", tone: "info" },
  paid: { label: "Paid", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  expired: { label: "Expired", tone: "neutral" },
  canceled: { label: "Canceled", tone: "neutral" },
  refunded: { label: "Refunded", tone: "neutral" },
  partially_refunded: { label: "Partially refunded", tone: "info" },
  disputed: { label: "Disputed", tone: "warning" },
  dispute_won: { label: "Dispute won", tone: "success" },
  dispute_lost: { label: "Dispute lost", tone: "danger" },
};

/** The state a person sees: the payment's status, then (once paid) a dispute, then refunds. */
export function purchaseState(purchase: DisplayedPurchase): PurchaseState {
  switch (purchase.status) {
    case "pending":
      return "awaiting_payment";
    case "processing":
    case "failed":
    case "expired":
    case "canceled":
      return purchase.status;
    case "paid":
      if (purchase.disputeStatus === "open") return "disputed";
      if (purchase.disputeStatus === "won") return "dispute_won";
      if (purchase.disputeStatus === "lost") return "dispute_lost";
      if (purchase.refundedMinor >= purchase.amountMinor) return "refunded";
      if (purchase.refundedMinor > 0) return "partially_refunded";
      return "paid";
  }
}

function sentenceFor(state: PurchaseState, purchase: DisplayedPurchase): string {
  const money = (amountMinor: number) => formatMoney(amountMinor, purchase.currency);
  const amount = money(purchase.amountMinor);
  const disputed = money(purchase.disputedMinor);
  // A dispute is the headline; a refund made as well is still said.
  const alsoRefunded = purchase.refundedMinor > 0 ? ` ${money(purchase.refundedMinor)} was also refunded.` : "";
  switch (state) {
    case "awaiting_payment":
      return "Checkout was started but not paid. Nothing has been charged.";
    case "processing":
      return `Your bank payment of ${amount} is on its way. Your wallet gets it when it clears.`;
    case "paid":
      return `${amount} added to your wallet.`;
    case "failed":
      return `${purchase.failureMessage ?? FAILURE_SENTENCES.unknown} Nothing was charged.`;
    case "expired":
      return "This checkout closed before it was paid. Nothing was charged.";
    case "canceled":
      return "You canceled this checkout. Nothing was charged.";
    case "refunded":
      return `${money(purchase.refundedMinor)} was refunded and taken back out of your wallet.`;
    case "partially_refunded":
      return `${money(purchase.refundedMinor)} of ${amount} was refunded and taken back out of your wallet.`;
    case "disputed":
      return `${disputed} is on hold while the bank reviews the dispute.${alsoRefunded}`;
    case "dispute_won":
      return `The dispute was settled in this payment's favour: the ${disputed} on hold is back in your wallet.${alsoRefunded}`;
    case "dispute_lost":
      return `The bank upheld the dispute: ${disputed} went back to the cardholder and stays out of your wallet.${alsoRefunded}`;
  }
}

/** The purchase as a person sees it: state, label, badge tone and one plain sentence. */
export function describePurchase(purchase: DisplayedPurchase): PurchaseDisplay {
  const state = purchaseState(purchase);
  return { state, ...LABELS[state], sentence: sentenceFor(state, purchase) };
}

/** True while the person may still pay it (Resume) or call it off (Cancel): its Checkout Session is open. */
export function isOpenPurchase(purchase: Pick<Purchase, "status" | "checkoutUrl" | "checkoutExpiresAt">, now = new Date()): boolean {
  if (purchase.status !== "pending" && purchase.status !== "failed") return false;
  return purchase.checkoutUrl !== null && purchase.checkoutExpiresAt !== null && purchase.checkoutExpiresAt > now;
}

/** True once Stripe took the money (whatever refunds or disputes did after): the purchase has a receipt. */
export function hasReceipt(purchase: Pick<Purchase, "status">): boolean {
  return purchase.status === "paid";
}

/** True while the outcome is still to come from Stripe, so a screen showing it should look again. */
export function isUnsettled(state: PurchaseState): boolean {
  return state === "awaiting_payment" || state === "processing";
}

/** What was bought: the credit pack's name, or a custom amount. */
export function purchaseName(purchase: Pick<Purchase, "packKey" | "currency">): string {
  if (!purchase.packKey) return "Custom top-up";
  if (isAutoRechargePack(purchase.packKey)) return "Auto-recharge";
  return `${findCreditPack(purchase.packKey, purchase.currency)?.name ?? purchase.packKey} pack`;
}

/** A purchase as plain data for the browser (the banner after Checkout, GET /api/wallet). */
export interface PurchaseView extends PurchaseDisplay {
  id: string;
  name: string;
  amount: string;
  /** The Checkout page to go back to while the session is open; null otherwise. */
  resumeUrl: string | null;
  /** The outcome is still to come from Stripe: a screen showing it should look again. */
  unsettled: boolean;
}

export function purchaseView(purchase: Purchase, now = new Date()): PurchaseView {
  const display = describePurchase(purchase);
  return {
    ...display,
    id: purchase.id,
    name: purchaseName(purchase),
    amount: formatMoney(purchase.amountMinor, purchase.currency),
    resumeUrl: isOpenPurchase(purchase, now) ? purchase.checkoutUrl : null,
    unsettled: isUnsettled(display.state),
  };
}

// Words and links every receipt (the page and the email) uses the same way.

/** What a top-up bought: "Starter credit pack", "Wallet top-up" for a custom amount, "Auto-recharge"; also its ledger entry's description, so the statement and the receipt agree. */
export function topUpLabel(packKey: string | null): string {
  if (isAutoRechargePack(packKey)) return "Auto-recharge";
  return packKey ? `${findCreditPack(packKey)?.name ?? packKey} credit pack` : "Wallet top-up";
}

/** The in-app receipt page of a purchase. */
export function receiptPath(purchaseId: string): string {
  return `/wallet/receipts/${encodeURIComponent(purchaseId)}`;
}

const CARD_BRANDS: Record<string, string> = {
  amex: "American Express",
  cartes_bancaires: "Cartes Bancaires",
  diners: "Diners Club",
  discover: "Discover",
  eftpos_au: "eftpos Australia",
  jcb: "JCB",
  mastercard: "Mastercard",
  unionpay: "UnionPay",
  visa: "Visa",
};

/** Stripe's card brand code ("visa", "amex") as people write it; an unknown code is shown as Stripe sent it. */
export function cardBrandName(brand: string): string {
  return CARD_BRANDS[brand] ?? brand.replaceAll("_", " ").replace(/^./, (first) => first.toUpperCase());
}

/** "Visa ending in 4242", or as much of it as is known; null when nothing is. */
export function paymentMethodLabel(card: { brand: string | null; last4: string | null }): string | null {
  const brand = card.brand ? cardBrandName(card.brand) : null;
  if (brand && card.last4) return `${brand} ending in ${card.last4}`;
  if (card.last4) return `Card ending in ${card.last4}`;
  return brand;
}
