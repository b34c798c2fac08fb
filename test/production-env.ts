// A production environment with nothing wrong (no development setting, every required secret), for
// the tests that break one setting at a time: the guard unit tests and the real `next start` check.
export const SAFE_PRODUCTION_ENV = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://billfold@db.internal:5432/billfold",
  APP_URL: "https://billfold.example.com",
  NEXTAUTH_SECRET: "a-production-secret-0123456789abcdef",
  STRIPE_SECRET_KEY: "sk_live_0123456789",
  STRIPE_WEBHOOK_SECRET: "whsec_0123456789abcdefABCDEF0123456789",
  CRON_SECRET: "a-production-cron-secret-0123456789",
  SMTP_URL: "smtps://billfold:password@smtp.example.com:465",
} as const;
