import { env } from "../core/env";
import { testHooksAllowed } from "../core/production-guards";
import { injectHandlerFailures } from "../stripe-events";

// Test hooks for the e2e server: faults a browser test switches on and off over HTTP
// (app/api/test-hooks/), to watch the app recover. Inert unless lib/core/production-guards.ts
// testHooksAllowed says yes, which it never does for a real deployment; start-up refuses
// BILLFOLD_TEST_HOOKS there too.

export function testHooksEnabled(): boolean {
  return testHooksAllowed(env());
}

/** The error a failing handler throws, recognisable in the event log's "last error". */
export class InjectedWebhookFailure extends Error {
  constructor(type: string) {
    super(`test hook: the handler for ${type} fails on purpose`);
    this.name = "InjectedWebhookFailure";
  }
}

// On globalThis: Next.js may bundle this module once per route, and the route that switches a
// failure on must share the set with the webhook route that reads it.
const FAILING_TYPES = Symbol.for("billfold.testHooks.failingWebhookTypes");
type HookGlobal = typeof globalThis & { [FAILING_TYPES]?: Set<string> };

function failingTypes(): Set<string> {
  const holder = globalThis as HookGlobal;
  holder[FAILING_TYPES] ??= new Set();
  return holder[FAILING_TYPES];
}

/** Makes every handler run of this event type fail until cleared. Refused unless hooks are enabled. */
export function failWebhookHandler(type: string): void {
  if (!testHooksEnabled()) throw new Error("test hooks are disabled");
  failingTypes().add(type);
  // The dispatch table asks this check before each handler (lib/stripe-events/failure-injection.ts).
  injectHandlerFailures((failingType) => (isWebhookHandlerFailing(failingType) ? new InjectedWebhookFailure(failingType) : null));
}

/** Clears the failure for one type, or for every type. */
export function clearWebhookHandlerFailure(type?: string): void {
  if (type) failingTypes().delete(type);
  else failingTypes().clear();
}

/** True when a handler of this type should fail now (never while hooks are disabled). */
export function isWebhookHandlerFailing(type: string): boolean {
  const types = failingTypes();
  return types.size > 0 && types.has(type) && testHooksEnabled();
}
