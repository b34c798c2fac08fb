// Prorations, as Stripe computes them when an item's price or quantity changes mid-period: a credit for the
// unused time at the old price and a charge for the remaining time at the new one, each the full-period amount
// times (seconds left in the period ÷ seconds in the period), rounded to the nearest minor unit on its own.
import Stripe from "stripe";
import type { Emulator } from "../emulator";
import { newId } from "../http/ids";
import { formatDate } from "../pages/html";
import { productName } from "./subscription";

export const PRORATION_BEHAVIORS = ["create_prorations", "always_invoice", "none"] as const;
export type ProrationBehavior = (typeof PRORATION_BEHAVIORS)[number];

export interface PricedQuantity {
  price: Stripe.Price;
  quantity: number;
}

/** One item's change: `before` null for an added item, `after` null for a removed one. */
export interface ItemChange {
  item: Stripe.SubscriptionItem;
  before: PricedQuantity | null;
  after: PricedQuantity | null;
}

/** `fullPeriodAmount × remaining ÷ period`, rounded half away from zero, in exact integer arithmetic. */
export function prorate(fullPeriodAmount: number, remainingSeconds: number, periodSeconds: number): number {
  if (periodSeconds <= 0 || remainingSeconds <= 0) return 0;
  const magnitude = BigInt(Math.abs(fullPeriodAmount)) * BigInt(remainingSeconds);
  const period = BigInt(periodSeconds);
  const rounded = Number((2n * magnitude + period) / (2n * period));
  return fullPeriodAmount < 0 ? -rounded : rounded;
}

function amountOf(priced: PricedQuantity): number {
  return (priced.price.unit_amount ?? 0) * priced.quantity;
}

/** "Pro", or "3 × Pro" for a quantity above one. */
function subject(emulator: Emulator, priced: PricedQuantity): string {
  const name = productName(emulator, priced.price);
  return priced.quantity === 1 ? name : `${priced.quantity} × ${name}`;
}

/** The invoice line that billed this item's current period, which a credit proration credits. */
function creditedLine(emulator: Emulator, subscription: Stripe.Subscription, item: Stripe.SubscriptionItem): { invoice: string; lines: string[] } | null {
  for (const invoice of Object.values(emulator.state.invoices).reverse()) {
    if (invoice.parent?.subscription_details?.subscription !== subscription.id || invoice.status === "void" || invoice.status === "draft") continue;
    const line = invoice.lines.data.find((candidate) => {
      const details = candidate.parent?.subscription_item_details;
      return details?.subscription_item === item.id && !details.proration && candidate.period.start === item.current_period_start;
    });
    if (line) return { invoice: invoice.id, lines: [line.id] };
  }
  return null;
}

function prorationItem(
  emulator: Emulator,
  subscription: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  priced: PricedQuantity,
  amount: number,
  description: string,
  period: { start: number; end: number },
  credited: { invoice: string; lines: string[] } | null,
): Stripe.InvoiceItem {
  const customerId = typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
  const invoiceItem = {
    id: newId("ii"),
    object: "invoiceitem",
    amount,
    currency: subscription.currency,
    customer: customerId,
    customer_account: null,
    date: period.start,
    description,
    // Stripe never discounts prorations.
    discountable: false,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    parent: { type: "subscription_details", subscription_details: { subscription: subscription.id, subscription_item: item.id } },
    period,
    pricing: {
      type: "price_details",
      price_details: { price: priced.price.id, product: typeof priced.price.product === "string" ? priced.price.product : priced.price.product.id },
      unit_amount_decimal: Stripe.Decimal.from(amount).div(Stripe.Decimal.from(priced.quantity), 10, "half-even"),
    },
    proration: true,
    proration_details: {
      credited_items: credited ? { type: "invoice_line_items", invoice_line_item_details: { invoice: credited.invoice, invoice_line_items: credited.lines } } : null,
      discount_amounts: [],
    },
    quantity: priced.quantity,
    quantity_decimal: Stripe.Decimal.from(priced.quantity),
    tax_rates: [],
    test_clock: subscription.test_clock,
  } satisfies Stripe.InvoiceItem;
  emulator.state.invoiceItems[invoiceItem.id] = invoiceItem;
  return invoiceItem;
}

/**
 * Pending proration invoice items for `changes` as of `prorationDate`: "Unused time on <old> after <date>"
 * (negative) and "Remaining time on <new> after <date>" (positive). `creditsOnly` is for a change of billing
 * interval, where the new price is billed for a whole new period instead.
 */
export function createProrationItems(
  emulator: Emulator,
  subscription: Stripe.Subscription,
  changes: readonly ItemChange[],
  prorationDate: number,
  options: { creditsOnly: boolean },
): Stripe.InvoiceItem[] {
  const created: Stripe.InvoiceItem[] = [];
  for (const { item, before, after } of changes) {
    const periodSeconds = item.current_period_end - item.current_period_start;
    const remaining = item.current_period_end - prorationDate;
    const period = { start: prorationDate, end: item.current_period_end };
    const date = formatDate(prorationDate);
    if (before) {
      const amount = -prorate(amountOf(before), remaining, periodSeconds);
      const description = `Unused time on ${subject(emulator, before)} after ${date}`;
      created.push(prorationItem(emulator, subscription, item, before, amount, description, period, creditedLine(emulator, subscription, item)));
    }
    if (after && !options.creditsOnly) {
      const amount = prorate(amountOf(after), remaining, periodSeconds);
      const description = `Remaining time on ${subject(emulator, after)} after ${date}`;
      created.push(prorationItem(emulator, subscription, item, after, amount, description, period, null));
    }
  }
  return created;
}
