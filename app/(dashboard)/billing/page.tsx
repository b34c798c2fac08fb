import { cookies } from "next/headers";
import { Suspense } from "react";
import { z } from "zod";
import { BillingReturnNotice } from "@/components/billing/billing-return-notice";
import { CurrentPlan } from "@/components/billing/current-plan";
import { InvoiceList } from "@/components/billing/invoice-list";
import { PlanComparison } from "@/components/billing/plan-comparison";
import { stripeJsConfig } from "@/lib/core/checkout-ui";
import { PaymentProblem } from "@/components/billing/payment-problem";
import { NextInvoiceLoading, NextInvoiceSummary } from "@/components/billing/next-invoice";
import { PlanSwitchPanel, type PlanSwitchPanelProps } from "@/components/billing/plan-switch-panel";
import { SignOutEverywhereForm } from "@/components/sign-out-everywhere-form";
import { planActionsFor } from "@/lib/billing";
import { billingReturnFor, PORTAL_LOOK_COOKIE } from "@/lib/billing";
import { getBillingOverview, getNextInvoice, getPlanSwitchOffer, type SubscriptionView } from "@/lib/billing";
import { formatDate } from "@/lib/core/format";
import { requireUser } from "@/lib/accounts";
import { formatMoney } from "@/lib/core/money";

export const metadata = { title: "Billing" };

const fromOldSpelling = (value: unknown) => (value === "cancelled" ? "canceled" : value); // old name, kept

const searchSchema = z.object({
  // Return addresses handed to Stripe before the spelling changed still say "cancelled" (old name, kept).
  checkout: z.preprocess(fromOldSpelling, z.enum(["success", "canceled"])).optional().catch(undefined),
  session_id: z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/).optional().catch(undefined),
  portal: z.enum(["returned", "no-account", "unavailable"]).optional().catch(undefined),
  // A plan chosen on the landing page: its button is highlighted, never pressed for the user.
  upgrade: z.string().regex(/^[a-z0-9_-]{1,50}$/).optional().catch(undefined),
  // "Change plan to X" for a subscriber: the switch's confirmation, with what it costs.
  switch: z.string().regex(/^[a-z0-9_-]{1,50}$/).optional().catch(undefined),
  // Back from confirming that switch: wait for Stripe's webhooks as after the portal.
  switched: z.literal("1").optional().catch(undefined),
});

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = searchSchema.parse(await searchParams);
  const user = await requireUser(query.upgrade ? `/billing?upgrade=${query.upgrade}` : "/billing");
  const overview = await getBillingOverview(user.id);
  const actions = planActionsFor(overview);
  const chosen = overview.plans.find((candidate) => candidate.key === query.upgrade);
  const switchTo = overview.plans.find((candidate) => candidate.key === query.switch && actions[candidate.key] === "change");
  // Back from Checkout or the portal: what to say, from the billing state (the address only says where from).
  const returned = await billingReturnFor(user.id, { checkout: query.checkout, sessionId: query.session_id, portal: query.portal, switched: query.switched === "1" }, overview, (await cookies()).get(PORTAL_LOOK_COOKIE)?.value);

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Billing</h1>
      {/* Always rendered, so that the refreshes after it cleans the address keep what it shows. */}
      <BillingReturnNotice notice={returned} />
      {chosen && actions[chosen.key] === "current" && <Notice>You&apos;re already on the {chosen.name} plan.</Notice>}
      {chosen && actions[chosen.key] === "upgrade" && (
        <Notice>
          You chose the {chosen.name} plan. Press <strong>Upgrade to {chosen.name}</strong> below to pay securely with Stripe.
        </Notice>
      )}
      {overview.subscription && <PaymentProblem subscription={overview.subscription} />}
      <CurrentPlan overview={overview} />
      {overview.subscription && (
        <Suspense fallback={<NextInvoiceLoading />}>
          <NextInvoiceSection userId={user.id} subscription={overview.subscription} />
        </Suspense>
      )}
      {switchTo && (
        <Suspense key={switchTo.key} fallback={<p role="status" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-slate-700">Asking Stripe what this change costs…</p>}>
          <PlanSwitchSection userId={user.id} planKey={switchTo.key} planName={switchTo.name} />
        </Suspense>
      )}
      <PlanComparison
        plans={overview.plans.map((candidate) => ({
          key: candidate.key,
          name: candidate.name,
          price: formatMoney(candidate.monthlyPriceMinor, candidate.currency),
          highlights: candidate.highlights,
          purchasable: candidate.purchasable,
        }))}
        actions={actions}
        highlightKey={chosen?.key ?? null}
        stripeJs={stripeJsConfig()}
      />
      <section aria-labelledby="invoices-heading" className="space-y-3">
        <h2 id="invoices-heading" className="text-xl font-semibold">Invoices</h2>
        <InvoiceList invoices={overview.invoices} />
      </section>
      <section aria-labelledby="sessions-heading" className="space-y-3">
        <h2 id="sessions-heading" className="text-xl font-semibold">Sessions</h2>
        <p className="text-slate-600">
          Signed in as {user.email}. Signed in somewhere you no longer use, or think someone else is? Sign out everywhere, this browser included.
        </p>
        <SignOutEverywhereForm />
      </section>
    </div>
  );
}

/** The next invoice, from Stripe: streamed in after the rest of the page, which never waits for it. */
async function NextInvoiceSection({ userId, subscription }: { userId: string; subscription: SubscriptionView }) {
  return <NextInvoiceSummary next={await getNextInvoice(userId, subscription)} />;
}

/** A plan switch's confirmation, with Stripe's preview of what it costs. */
async function PlanSwitchSection({ userId, planKey, planName }: { userId: string; planKey: string; planName: string }) {
  const offer = await getPlanSwitchOffer(userId, planKey);
  let props: PlanSwitchPanelProps;
  if (offer.kind === "preview") {
    const { preview } = offer;
    props = {
      kind: "preview",
      planKey,
      planName,
      dueToday: formatMoney(preview.dueTodayMinor, preview.currency),
      credit: preview.creditMinor > 0 ? formatMoney(preview.creditMinor, preview.currency) : null,
      thenMonthly: formatMoney(preview.thenMonthlyMinor, preview.currency),
      thenFrom: preview.thenFrom && formatDate(preview.thenFrom),
      prorationDate: preview.prorationDate,
      switchId: preview.switchId,
    };
  } else {
    props = { kind: offer.kind, planName, message: offer.message };
  }
  return <PlanSwitchPanel {...props} />;
}

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <div role="status" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-slate-700">
      {children}
    </div>
  );
}
