// POST /api/admin/webhooks/events/:id/replay: replay one failed, unmatched or dead event now (admins only; audited). 409 when it is not replayable.
import { NextResponse } from "next/server";
import { z } from "zod";
import { withAdmin } from "@/lib/accounts";
import { replayWebhookEvent } from "@/lib/admin";

const paramsSchema = z.object({ id: z.string().min(1).max(64) });

export const POST = withAdmin(async (_req, ctx) => {
  const { id } = paramsSchema.parse(await ctx.params);
  const result = await replayWebhookEvent(id, ctx.user);
  return NextResponse.json({ replay: result });
});
