"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { replayWebhookEvent } from "@/lib/webhooks";

export type ReplayState = { message?: string; error?: string };

// Server action: re-run one failed webhook event now instead of waiting for the sweeper.
export async function replayWebhookEventAction(_previous: ReplayState, form: FormData): Promise<ReplayState> {
  const admin = await requireAdmin("/admin");
  const id = z.string().min(1).max(64).safeParse(form.get("eventId"));
  if (!id.success) return { error: "Missing event id." };
  try {
    const outcome = await replayWebhookEvent(id.data, admin.id);
    revalidatePath("/admin");
    return outcome === "failed" ? { error: "The retry failed again; see the error in the table." } : { message: `Event ${outcome}.` };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  }
}
