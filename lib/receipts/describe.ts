import { findCreditPack, isAutoRechargePack } from "../billing/catalog";

// Words and links every receipt (the page and the email) uses the same way. No imports beyond the
// catalog, so the email outbox can use them without a cycle through lib/purchases.

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
