// npm run stripe:setup: write the catalog's plans (lib/billing/catalog.ts) into the Plan table of
// DATABASE_URL, then create or update their products and prices in the configured Stripe account
// (STRIPE_SECRET_KEY, or the emulator through STRIPE_API_HOST/PORT/PROTOCOL). Idempotent: run it
// after every deploy or plan change.
import Stripe from "stripe";
import { pathToFileURL } from "node:url";
import { createPrismaClient } from "../lib/core/prisma";
import { setUpPlanPrices } from "../lib/tooling/plan-prices";
import { seedPlans } from "../lib/tooling/seed";

export interface StripeTarget {
  secretKey: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https";
}

export function stripeClientFor(target: StripeTarget): Stripe {
  return new Stripe(target.secretKey, {
    ...(target.host ? { host: target.host } : {}),
    ...(target.port ? { port: target.port } : {}),
    ...(target.protocol ? { protocol: target.protocol } : {}),
  });
}

/** Sets up the plans of the database at `databaseUrl` in the Stripe account `target`; prints one line per plan. */
export async function runStripeSetup(databaseUrl: string, target: StripeTarget, print = console.log): Promise<void> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    await seedPlans(prisma);
    for (const outcome of await setUpPlanPrices(prisma, stripeClientFor(target))) {
      print(`  ${outcome.planKey}: ${outcome.action} (product ${outcome.productId}, price ${outcome.priceId})`);
    }
  } finally {
    await prisma.$disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { DATABASE_URL, STRIPE_SECRET_KEY, STRIPE_API_HOST, STRIPE_API_PORT, STRIPE_API_PROTOCOL } = process.env;
  if (!DATABASE_URL || !STRIPE_SECRET_KEY) {
    console.error("stripe:setup needs DATABASE_URL (the seeded plans) and STRIPE_SECRET_KEY (the account to set up).");
    process.exit(1);
  }
  console.log("Setting up Billfold's plans in Stripe:");
  await runStripeSetup(DATABASE_URL, {
    secretKey: STRIPE_SECRET_KEY,
    host: STRIPE_API_HOST || undefined,
    port: STRIPE_API_PORT ? Number(STRIPE_API_PORT) : undefined,
    protocol: STRIPE_API_PROTOCOL === "http" || STRIPE_API_PROTOCOL === "https" ? STRIPE_API_PROTOCOL : undefined,
  });
}
