import Stripe from "stripe";
import { isMissingObject } from "./ids";

// `npm run stripe:setup`: makes the Stripe account (the emulator, or a real test-mode account) sell
// Billfold's plans. Each paid plan gets a product with a fixed id and a monthly price carrying the
// plan's lookup key. Run it again and nothing changes; change a plan's price and a new Stripe price
// takes over the lookup key (Stripe prices are immutable) while the old one is archived. Takes the
// client as a parameter because it also runs from scripts outside the Next.js server.

export interface PlanPriceSpec {
  key: string;
  name: string;
  lookupKey: string;
  monthlyPriceMinor: number;
  currency: string;
}

export type PlanPriceOutcome = { planKey: string; productId: string; priceId: string; action: "created" | "replaced" | "unchanged" };

async function ensureProduct(stripe: Stripe, spec: PlanPriceSpec): Promise<string> {
  const id = `billfold_plan_${spec.key}`;
  try {
    const product = await stripe.products.retrieve(id);
    if (product.name !== spec.name || !product.active) await stripe.products.update(id, { name: spec.name, active: true });
    return id;
  } catch (error) {
    if (!isMissingObject(error)) throw error;
  }
  await stripe.products.create({ id, name: spec.name, metadata: { billfoldPlanKey: spec.key } }, { idempotencyKey: `plan-product:${id}` });
  return id;
}

function matches(price: Stripe.Price, spec: PlanPriceSpec, productId: string): boolean {
  return (
    price.active &&
    price.unit_amount === spec.monthlyPriceMinor &&
    price.currency === spec.currency.toLowerCase() &&
    price.recurring?.interval === "month" &&
    price.recurring.interval_count === 1 &&
    (typeof price.product === "string" ? price.product : price.product.id) === productId
  );
}

export async function ensurePlanPrice(stripe: Stripe, spec: PlanPriceSpec): Promise<PlanPriceOutcome> {
  const productId = await ensureProduct(stripe, spec);
  const [current] = (await stripe.prices.list({ lookup_keys: [spec.lookupKey], limit: 1 })).data;
  if (current && matches(current, spec, productId)) return { planKey: spec.key, productId, priceId: current.id, action: "unchanged" };
  const price = await stripe.prices.create({
    product: productId,
    currency: spec.currency.toLowerCase(),
    unit_amount: spec.monthlyPriceMinor,
    recurring: { interval: "month" },
    lookup_key: spec.lookupKey,
    transfer_lookup_key: true,
    nickname: spec.name,
    metadata: { billfoldPlanKey: spec.key },
  });
  if (current?.active) await stripe.prices.update(current.id, { active: false });
  return { planKey: spec.key, productId, priceId: price.id, action: current ? "replaced" : "created" };
}

export async function ensurePlanPrices(stripe: Stripe, specs: PlanPriceSpec[]): Promise<PlanPriceOutcome[]> {
  const outcomes: PlanPriceOutcome[] = [];
  for (const spec of specs) outcomes.push(await ensurePlanPrice(stripe, spec));
  return outcomes;
}

/**
 * The account's default Customer Portal configuration, set to what Billfold's billing page promises:
 * switching between the plans' prices (prorated, on the next invoice), canceling at the period end,
 * updating the card, and the invoice history. Updated in place, so running it again changes nothing.
 */
export async function ensurePortalConfiguration(stripe: Stripe, prices: PlanPriceOutcome[]): Promise<{ id: string; action: "created" | "updated" }> {
  const features: Stripe.BillingPortal.ConfigurationCreateParams.Features = {
    invoice_history: { enabled: true },
    payment_method_update: { enabled: true },
    subscription_cancel: { enabled: true, mode: "at_period_end" },
    subscription_update: {
      enabled: true,
      default_allowed_updates: ["price"],
      proration_behavior: "create_prorations",
      products: prices.map((price) => ({ product: price.productId, prices: [price.priceId] })),
    },
  };
  const [current] = (await stripe.billingPortal.configurations.list({ is_default: true, limit: 1 })).data;
  if (current) {
    await stripe.billingPortal.configurations.update(current.id, { features });
    return { id: current.id, action: "updated" };
  }
  const created = await stripe.billingPortal.configurations.create({ features });
  return { id: created.id, action: "created" };
}
