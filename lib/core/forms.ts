import "./zod-csp";
import { z } from "zod";

// Conventions every form follows, whether it calls a server action (lib/accounts/guards.ts) or posts JSON
// to a route handler (components/use-kept-form.ts). Safe to import from client components.

/** Said above the fields when some are not valid; each field shows its own message. */
export const FIX_FIELDS_MESSAGE = "Please fix the highlighted fields.";

/** Fields a server never sends back in an action's `values`; the browser keeps what was typed in them itself (components/use-kept-form.ts). */
export const SECRET_FIELDS = /password|token/i;

/** Said when the request never reached the server (offline, or the connection dropped). */
export const NETWORK_FAILURE_MESSAGE = "We couldn't reach the server. Check your connection and try again.";

/** The key a form carries from when it rendered: the same form submitted twice acts once. */
export const formRequestKey = z.string().min(8, "This form has expired; reload the page and try again.").max(100);

/** The reason an admin form records with its action (lib/admin/audit.ts auditReason holds lib/admin to the same). */
export const adminReasonField = z.string().trim().min(3, "Give a reason of at least 3 characters.").max(500, "Keep the reason under 500 characters.");

/** The one JSON error shape (lib/core/api.ts) as a browser reads it: a 422 also names each field's problem. */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.array(z.string()).optional()).optional() }),
});

/** A page's query parameter as one string: the first when the URL repeats it. */
export function firstSearchValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
