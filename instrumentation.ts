// Runs once when a Next.js server starts, before it serves a request: a production server on
// development settings, or with a malformed variable, stops here with a message naming each
// variable (lib/core/production-guards.ts) instead of failing request by request later.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // next-auth reads NEXTAUTH_URL itself and, without it, assumes http://localhost:3000 (so its
    // session cookies lose the Secure flag); APP_URL is its documented default.
    process.env.NEXTAUTH_URL ||= process.env.APP_URL;
    const { exitOnBadEnvironment } = await import("./lib/core/production-guards");
    exitOnBadEnvironment();
  }
}
