// Ports and accounts the e2e run uses; scripts/e2e-server.ts starts the app and emulator on these.
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const E2E_STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? 12112);
export const E2E_APP_URL = `http://127.0.0.1:${E2E_APP_PORT}`;
export const E2E_STRIPE_URL = `http://127.0.0.1:${E2E_STRIPE_PORT}`;
// The same build started a second time with the default checkout UI (embedded), for
// e2e/embedded-checkout.spec.ts; the first instance runs hosted, which the rest of the suite drives.
// It shares the database, emulator and mail catcher, and (cookies are per host, not per port) the
// signed-in state.
export const E2E_EMBEDDED_APP_PORT = Number(process.env.E2E_EMBEDDED_APP_PORT || E2E_APP_PORT + 1);
export const E2E_EMBEDDED_APP_URL = `http://127.0.0.1:${E2E_EMBEDDED_APP_PORT}`;
// What scripts/e2e-server.ts made for this run (its throwaway database's URL), for a spec that starts
// an app of its own on it (e2e/embedded-checkout.spec.ts, with real-looking Stripe keys).
export const E2E_SERVER_RUNTIME_FILE = process.env.E2E_SERVER_RUNTIME_FILE || ".test-results/e2e-server.json";
export const USER_STATE = "e2e/.auth/user.json";
export const ADMIN_STATE = "e2e/.auth/admin.json";
// The mail catcher the e2e server starts (unless SMTP_URL is set); tests read mail through its REST API.
// Ports of its own (not npm run dev's 1025/1080), so the suite runs beside a running dev server.
export const E2E_MAIL_SMTP_PORT = Number(process.env.E2E_MAIL_SMTP_PORT || 1125);
export const E2E_MAIL_WEB_PORT = Number(process.env.E2E_MAIL_WEB_PORT || 1180);
export const E2E_MAIL_URL = `http://127.0.0.1:${E2E_MAIL_WEB_PORT}`;
// The local stand-in for Google sign-in (scripts/oauth-stand-in.ts) the e2e server starts.
export const E2E_OAUTH_PORT = Number(process.env.E2E_OAUTH_PORT || 1190);
// Listed in the e2e server's ADMIN_EMAILS and used by no other test, so e2e/accounts.spec.ts can
// watch it become ADMIN only once verified.
export const E2E_LISTED_ADMIN_EMAIL = "listed-admin@e2e.billfold.test";
// The e2e server's CRON_SECRET, for the operator endpoints (the cron sweeps, /api/health/details).
export const E2E_CRON_SECRET = "billfold-e2e-cron-secret-0123456789";
