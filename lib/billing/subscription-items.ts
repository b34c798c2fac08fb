import type Stripe from "stripe";
import { z } from "zod";
import type { Plan } from "../generated/prisma/client";
import { stripeId } from "../stripe";

// A subscription's items as Billfold keeps them (the Subscription row's `items` JSON), and the plan
// they pay for. Apart from syncing, so that the plan derivation (queries.ts) and invoices can read
// them without importing the code that writes subscriptions.

// A type alias rather than an interface, so that it is assignable to Prisma's JSON input type.
export type SubscriptionItemMirror = {
  id: string;
  priceId: string | null;
  lookupKey: string | null;
  productId: string | null;
  quantity: number;
  /** What the price charges per unit and how often, so a price Billfold has no plan for can still be described. */
  unitAmountMinor: number | null;
  currency: string | null;
  interval: string | null;
  intervalCount: number | null;
};

const mirroredItemsSchema = z.array(
  z.object({
    id: z.string(),
    priceId: z.string().nullable(),
    lookupKey: z.string().nullable(),
    productId: z.string().nullable(),
    quantity: z.number(),
    // Rows mirrored before these were kept have none.
    unitAmountMinor: z.number().int().nullable().default(null),
    currency: z.string().nullable().default(null),
    interval: z.string().nullable().default(null),
    intervalCount: z.number().int().nullable().default(null),
  }),
);

/** The items stored on a Subscription row (its `items` JSON); an unreadable value reads as none. */
export function mirroredItems(json: unknown): SubscriptionItemMirror[] {
  const parsed = mirroredItemsSchema.safeParse(json);
  return parsed.success ? parsed.data : [];
}

/** Every item as Stripe lists it. A price or product may be missing or deleted; that item then maps to no plan. */
export function mirrorItems(subscription: Pick<Stripe.Subscription, "items">): SubscriptionItemMirror[] {
  return (subscription.items?.data ?? []).map((item) => {
    const price: Stripe.Price | null | undefined = item.price;
    return {
      id: item.id,
      priceId: price?.id ?? null,
      lookupKey: price?.lookup_key ?? null,
      productId: stripeId(price?.product),
      quantity: item.quantity ?? 1,
      unitAmountMinor: price?.unit_amount ?? null,
      currency: price?.currency ? price.currency.toUpperCase() : null,
      interval: price?.recurring?.interval ?? null,
      intervalCount: price?.recurring?.interval_count ?? null,
    };
  });
}

/**
 * The plan a set of items pays for, from their prices' lookup keys (never a product name: in events
 * `product` is only an id). Every item counts; with several paid plans the highest one wins.
 */
export function planForItems(items: SubscriptionItemMirror[], plans: Plan[]): Plan | null {
  const matched = plans.filter((plan) => plan.stripePriceLookupKey && items.some((item) => item.lookupKey === plan.stripePriceLookupKey));
  return matched.sort((a, b) => b.sortOrder - a.sortOrder)[0] ?? null;
}
