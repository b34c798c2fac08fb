"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/guards";
import { replayWebhookEvent } from "@/lib/webhooks";

// Re-run one failed webhook event now instead of waiting for the sweeper.
export const replayWebhookEventAction = adminAction(
  z.object({ eventId: z.string().min(1).max(64) }),
  async ({ eventId }, admin) => {
    const outcome = await replayWebhookEvent(eventId, admin.id);
    revalidatePath("/admin");
    return outcome === "failed" ? { error: "The retry failed again; see the error in the table." } : { message: `Event ${outcome}.` };
  },
  { returnTo: "/admin" },
);
