// GET /api/wallet/auto-recharge/card/return?session_id=: where Stripe's setup Checkout sends the person back. Stores the saved card
// at once (checkout.session.completed does the same, whichever comes first), then shows the wallet's auto-recharge section.
import { NextResponse } from "next/server";
import { z } from "zod";
import { appUrl } from "@/lib/core/env";
import { withUser } from "@/lib/accounts";
import { log } from "@/lib/core/log";
import { cardSetupReturnPath, completeCardSetup, type CardSetupOutcome } from "@/lib/payments/recharges";
import { NotFoundError } from "@/lib/core/errors";

const querySchema = z.object({ session_id: z.string().min(1).max(255) });

export const GET = withUser(async (req, { user, requestId }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  let outcome: CardSetupOutcome["outcome"];
  try {
    ({ outcome } = await completeCardSetup(query.session_id, { userId: user.id }));
  } catch (error) {
    if (error instanceof NotFoundError) throw error;
    // Stripe could not be asked just now: the webhook stores the card, and the page says it is on its way.
    log.warn("card_setup_return_failed", { requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    outcome = "not_completed";
  }
  return NextResponse.redirect(new URL(cardSetupReturnPath(outcome === "saved" ? "saved" : "pending"), appUrl()), 303);
});
