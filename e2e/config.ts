// Ports and accounts the e2e run uses; scripts/e2e-server.ts starts the app and emulator on these.
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const E2E_STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? 12112);
export const E2E_APP_URL = `http://127.0.0.1:${E2E_APP_PORT}`;
export const E2E_STRIPE_URL = `http://127.0.0.1:${E2E_STRIPE_PORT}`;
export const USER_STATE = "e2e/.auth/user.json";
export const ADMIN_STATE = "e2e/.auth/admin.json";
