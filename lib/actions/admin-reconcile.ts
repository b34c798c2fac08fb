"use server";

import { revalidatePath } from "next/cache";
import { countOf } from "@/lib/core/format";
import { adminAction } from "@/lib/accounts";
import { backfillEvents } from "@/lib/reconcile";
import { reconcileRangeSchema } from "@/lib/reconcile";

// Fetch the range's events from Stripe and run the ones Billfold never received through the inbox;
// the page then compares again (revalidatePath), so the lists show what the backfill fixed.
export const backfillEventsAction = adminAction(
  reconcileRangeSchema,
  async (range, admin) => {
    const counts = await backfillEvents(range, { id: admin.id, email: admin.email });
    revalidatePath("/admin/reconcile");
    const summary = `Fetched ${countOf(counts.fetched, "event")} from Stripe: ${counts.stored} new, ${counts.duplicates} already here, ${counts.processed} applied`;
    const problems = counts.unmatched + counts.failed;
    if (problems > 0) return { error: `${summary}; ${counts.unmatched} still unmatched and ${counts.failed} failed (see Webhooks).` };
    return { message: `${summary}.` };
  },
  { returnTo: "/admin/reconcile", failureMessage: "The backfill stopped before the end. Events it applied stay applied; run it again to finish." },
);
