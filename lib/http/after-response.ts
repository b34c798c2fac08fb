import { after } from "next/server";

/**
 * Runs `task` once the response has been sent (Next.js's after(), which also keeps a serverless
 * function alive for it). A route handler called outside a Next.js request (a test or a script
 * calling it directly) has no response to wait for, and no after(): the task then runs before this
 * returns, so its work is never silently dropped.
 */
export async function afterResponse(task: () => Promise<unknown>): Promise<void> {
  try {
    after(task);
  } catch (error) {
    if (!(error instanceof Error && /outside a request scope/.test(error.message))) throw error;
    await task();
  }
}
