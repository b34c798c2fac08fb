import Link from "next/link";
import { planHighlights } from "@/lib/billing";
import { listActivePlans } from "@/lib/billing";
import { getCurrentUser } from "@/lib/accounts";
import { formatMoney } from "@/lib/core/money";

export const dynamic = "force-dynamic";

/**
 * Where a plan's button goes. A paid plan leads to its upgrade button on /billing (the person still
 * presses it there; a link never starts a payment), through sign-up first when signed out.
 */
function planHref(plan: { key: string; stripePriceLookupKey: string | null }, signedIn: boolean): string {
  if (!plan.stripePriceLookupKey) return signedIn ? "/wallet" : "/signup";
  return signedIn ? `/billing?upgrade=${plan.key}` : `/signup?plan=${plan.key}`;
}

export default async function LandingPage() {
  const [plans, user] = await Promise.all([listActivePlans(), getCurrentUser().catch(() => null)]);
  const signedIn = user !== null;
  return (
    <div className="space-y-12">
      <section className="space-y-4 text-center sm:py-8">
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">Billing that never pays twice</h1>
        <p className="mx-auto max-w-2xl text-lg text-slate-600">
          Top up a prepaid wallet with Stripe Checkout, pick a plan, and watch every penny land exactly once.
        </p>
        <div className="flex justify-center gap-3">
          {!signedIn && <Link href="/signup" className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700">Create an account</Link>}
          <Link href="/wallet" className="rounded border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50">Open your wallet</Link>
        </div>
      </section>
      <section aria-labelledby="pricing-heading" className="space-y-6">
        <h2 id="pricing-heading" className="text-2xl font-semibold">Pricing</h2>
        <ul className="grid gap-4 sm:grid-cols-3">
          {plans.map((plan) => (
            <li key={plan.key} data-testid={`pricing-${plan.key}`} className="flex flex-col rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
              <h3 className="text-lg font-semibold">{plan.name}</h3>
              <p className="mt-2 text-3xl font-bold">
                {formatMoney(plan.monthlyPriceMinor, plan.currency)}
                <span className="text-base font-normal text-slate-500"> / month</span>
              </p>
              <ul className="mt-4 space-y-1 text-sm text-slate-600">
                {planHighlights(plan).map((highlight) => (
                  <li key={highlight}>
                    <span aria-hidden="true">✓ </span>
                    {highlight}
                  </li>
                ))}
              </ul>
              <div className="mt-auto pt-6">
                <Link
                  href={planHref(plan, signedIn)}
                  className={`block rounded px-4 py-2 text-center font-medium ${
                    plan.stripePriceLookupKey ? "bg-indigo-600 text-white hover:bg-indigo-700" : "border border-slate-300 bg-white hover:bg-slate-50"
                  }`}
                >
                  {plan.stripePriceLookupKey ? `Choose ${plan.name}` : signedIn ? "Open your wallet" : "Start free"}
                </Link>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
