// GET /api/admin/webhooks/events/:id: one stored webhook event with its payload (admins only).
import { NextResponse } from "next/server";
import { z } from "zod";
import { getWebhookEventWithPayload } from "@/lib/admin";
import { NotFoundError } from "@/lib/core/errors";
import { withAdmin } from "@/lib/accounts";
import { isReplayable } from "@/lib/events";

const paramsSchema = z.object({ id: z.string().min(1).max(64) });

export const GET = withAdmin(async (_req, ctx) => {
  const { id } = paramsSchema.parse(await ctx.params);
  const event = await getWebhookEventWithPayload(id);
  if (!event) throw new NotFoundError("No such webhook event.");
  const { lockedAt: _lockedAt, awaitingReferences, ...rest } = event;
  return NextResponse.json({ event: { ...rest, awaitingReferences, replayable: isReplayable(event) } });
});
