// A seam for the e2e server's test hooks (lib/tooling/test-hooks.ts, switched on over
// app/api/test-hooks/): they install a check here that makes a handler fail on purpose. Production
// code never imports the hooks; with nothing installed, no handler is replaced.

/** The error a handler of this type should fail with now, or null to run it. */
export type HandlerFailureCheck = (type: string) => Error | null;

// On globalThis: Next.js may bundle this module once per route, and the route that installs the
// check must share it with the webhook route that reads it.
const CHECK = Symbol.for("billfold.stripeEvents.handlerFailureCheck");
type CheckHolder = typeof globalThis & { [CHECK]?: HandlerFailureCheck };

/** Installs (or, with null, removes) the check that decides which handlers fail. */
export function injectHandlerFailures(check: HandlerFailureCheck | null): void {
  (globalThis as CheckHolder)[CHECK] = check ?? undefined;
}

export function injectedFailureFor(type: string): Error | null {
  return (globalThis as CheckHolder)[CHECK]?.(type) ?? null;
}
