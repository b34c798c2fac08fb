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

/**
 * Runs `task` once the response has been sent, like afterResponse, but outside a Next.js request the
 * task is started and not awaited. For work whose duration must not show in the caller's (an email
 * whose sending would tell whether an address has an account), and whose loss a sweep repairs (the
 * email outbox). `task` handles its own errors.
 */
export function inBackground(task: () => Promise<void>): void {
  try {
    after(task);
  } catch (error) {
    if (!(error instanceof Error && /outside a request scope/.test(error.message))) throw error;
    void task();
  }
}
