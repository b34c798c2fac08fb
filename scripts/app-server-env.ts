// The environment of a production build (`next start`) run locally against the Stripe emulator:
// the e2e server (scripts/e2e-server.ts) and the fault suite (test/faults/) start the app with it,
// so the two cannot drift apart.
import { stripeApiEnv } from "@billfold/stripe-emulator";

export interface AppServerEnvOptions {
  databaseUrl: string;
  appUrl: string;
  stripeApiPort: number;
  webhookSecret: string;
  cronSecret: string;
  /** Unset: mail goes to the server's log (lib/email). */
  smtpUrl?: string;
  adminEmails?: string;
  /** Switch on the test hooks (lib/tooling/test-hooks.ts): only the e2e server does. */
  testHooks?: boolean;
  /** Show the wallet's demo spend button (lib/core/production-guards.ts demoSpendAllowed): only the e2e server, which has the demo data. */
  demoSpend?: boolean;
  /** Google sign-in through a local stand-in at this issuer (scripts/oauth-stand-in.ts): only the e2e server. */
  oauthStandInIssuer?: string;
  /** BILLFOLD_CHECKOUT_UI; unset: the default (embedded). */
  checkoutUi?: "hosted" | "embedded";
}

/** A test-mode publishable key for the emulator's Stripe.js, which only checks its prefix. */
export const EMULATOR_PUBLISHABLE_KEY = "pk_test_billfold_e2e";

export const EMULATOR_SECRET_KEY = "sk_test_billfold_e2e";

export function appServerEnv(options: AppServerEnvOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    // A production build on purpose-made development settings (emulator, its published secret, no
    // mail server): the explicit opt-out of lib/core/production-guards.ts.
    BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: options.databaseUrl,
    APP_URL: options.appUrl,
    NEXTAUTH_URL: options.appUrl,
    NEXTAUTH_SECRET: "billfold-e2e-secret-0123456789abcdef",
    CRON_SECRET: options.cronSecret,
    STRIPE_SECRET_KEY: EMULATOR_SECRET_KEY,
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: EMULATOR_PUBLISHABLE_KEY,
    BILLFOLD_CHECKOUT_UI: options.checkoutUi,
    STRIPE_WEBHOOK_SECRET: options.webhookSecret,
    ...stripeApiEnv(`http://127.0.0.1:${options.stripeApiPort}`),
    ADMIN_EMAILS: options.adminEmails,
    BILLFOLD_TEST_HOOKS: options.testHooks ? "1" : undefined,
    BILLFOLD_DEMO_SPEND: options.demoSpend ? "1" : undefined,
    ...(options.oauthStandInIssuer
      ? { GOOGLE_CLIENT_ID: "billfold-e2e", GOOGLE_CLIENT_SECRET: "billfold-e2e-stand-in-secret", GOOGLE_STAND_IN_ISSUER: options.oauthStandInIssuer }
      : {}),
    SMTP_URL: options.smtpUrl,
    // A seller with an address and VAT, so the receipts the suites print show every line (lib/payments/receipts).
    BILLFOLD_BUSINESS_NAME: "Billfold Test Ltd",
    BILLFOLD_BUSINESS_ADDRESS: "1 Ledger Lane|London|EC1A 1BB",
    BILLFOLD_VAT_NUMBER: "GB123456789",
    BILLFOLD_VAT_RATE_BP: "2000",
    // Suites sign many users up and in from 127.0.0.1; per-email budgets stay as in production.
    THROTTLE_SIGN_IN_PER_IP: "100000",
    THROTTLE_EMAIL_PER_IP: "100000",
  };
}
