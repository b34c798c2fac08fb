// Runs once when a Next.js server starts, before it serves a request: a production server on
// development settings, or with a malformed variable, stops here with a message naming each
// variable (lib/production-guards.ts) instead of failing request by request later.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { exitOnBadEnvironment } = await import("./lib/production-guards");
    exitOnBadEnvironment();
  }
}
