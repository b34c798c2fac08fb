// GET /api/billing: the signed-in user's plan and the version of their billing state; /billing polls it after Checkout or the portal.
import { NextResponse } from "next/server";
import { getBillingOverview } from "@/lib/billing";
import { withUser } from "@/lib/accounts";

export const GET = withUser(async (_req, { user }) => {
  const overview = await getBillingOverview(user.id);
  return NextResponse.json(
    {
      version: overview.version,
      plan: { key: overview.plan.key, name: overview.plan.name, paid: overview.plan.purchasable },
      subscription: overview.subscription && {
        status: overview.subscription.status,
        cancelsAt: overview.subscription.cancelsAt,
        // false: a subscription on a price with no Billfold plan; it gives no plan, and `unrecognised` says what it charges.
        recognised: overview.subscription.recognised,
        unrecognised: overview.subscription.unrecognised,
      },
    },
    { headers: { "Cache-Control": "no-store" } },
  );
});
