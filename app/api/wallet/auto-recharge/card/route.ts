// POST /api/wallet/auto-recharge/card: open a setup-mode Stripe Checkout to save the card auto-recharge charges; answers its URL to send the person to.
// Optional JSON body { requestKey }: the same key opens the same session. The wallet page's button is a server action (lib/actions/auto-recharge.ts).
import { NextResponse } from "next/server";
import { z } from "zod";
import { parseJson } from "@/lib/core/api";
import { withUser } from "@/lib/accounts";
import { startCardSetup } from "@/lib/payments/recharges";

const bodySchema = z.object({ requestKey: z.string().min(8).max(100).optional() });

export const POST = withUser(async (req, { user }) => {
  // The body is optional: a bare POST opens a new session.
  const body = req.headers.get("content-length") === "0" || !req.body ? {} : await parseJson(req, bodySchema);
  const setup = await startCardSetup(user.id, { requestKey: body.requestKey });
  return NextResponse.json({ sessionId: setup.sessionId, url: setup.url, expiresAt: setup.expiresAt.toISOString() }, { status: 201 });
});
