// GET /billing/portal: the emailed "Update my card" link: a fresh Stripe Customer Portal session for the signed-in user.
// Portal sessions expire within minutes, so an email links here rather than to one.
import { NextResponse } from "next/server";
import { portalLookCookie } from "@/lib/billing";
import { openBillingPortal } from "@/lib/billing";
import { appUrl } from "@/lib/core/env";
import { toPublicError } from "@/lib/core/errors";
import { requireUser } from "@/lib/accounts";
import { log } from "@/lib/core/log";

const SEE_OTHER = 303;

export async function GET() {
  const user = await requireUser("/billing/portal");
  try {
    const { url } = await openBillingPortal(user.id);
    const response = NextResponse.redirect(url, SEE_OTHER);
    // The billing state before the portal, so that /billing can say what changed there.
    const before = await portalLookCookie(user.id);
    response.cookies.set(before.name, before.value, before.options);
    return response;
  } catch (error) {
    const mapped = toPublicError(error);
    if (mapped.code === "no_billing_account") return NextResponse.redirect(`${appUrl()}/billing?portal=no-account`, SEE_OTHER);
    if (!mapped.expected) log.error("billing_portal_link_failed", { userId: user.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return NextResponse.redirect(`${appUrl()}/billing?portal=unavailable`, SEE_OTHER);
  }
}
