import { z } from "zod";
import { parseTrustedProxies } from "./http/client-address";

// One validated view of the environment. Empty strings count as unset, so a blank line in
// .env never turns into a bogus value; a malformed value stops the process with a clear message.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const emailList = z
  .string()
  .transform((raw) => raw.split(",").map((email) => email.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email()));

const serverSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/ })),
  APP_URL: optional(z.url({ protocol: /^https?$/ })),
  NEXTAUTH_URL: optional(z.url({ protocol: /^https?$/ })),
  NEXTAUTH_SECRET: optional(z.string().min(16, "must be at least 16 characters")),
  ADMIN_EMAILS: optional(emailList),
  GITHUB_ID: optional(z.string()),
  GITHUB_SECRET: optional(z.string()),
  GOOGLE_CLIENT_ID: optional(z.string()),
  GOOGLE_CLIENT_SECRET: optional(z.string()),
  // The e2e server's local stand-in for Google (scripts/oauth-stand-in.ts); lib/core/production-guards.ts decides where it may be used.
  GOOGLE_STAND_IN_ISSUER: optional(z.url({ protocol: /^https?$/ })),
  STRIPE_SECRET_KEY: optional(z.string().regex(/^(sk|rk)_(test|live)_/, "must start with sk_test_, sk_live_, rk_test_ or rk_live_")),
  STRIPE_WEBHOOK_SECRET: optional(z.string().regex(/^whsec_[^,]+(,whsec_[^,]+)*$/, "must be one or more whsec_… secrets, comma-separated")),
  STRIPE_API_HOST: optional(z.string()),
  STRIPE_API_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  STRIPE_API_PROTOCOL: optional(z.enum(["http", "https"])),
  // Read at run time by the server and handed to the payment pages as a prop (a NEXT_PUBLIC_ value
  // would be frozen into the client bundle at build time). Its mode must match STRIPE_SECRET_KEY's
  // (lib/core/checkout-ui.ts; start-up refuses a mismatch in production).
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: optional(z.string().regex(/^pk_(test|live)_/, "must start with pk_test_ or pk_live_")),
  // Where people pay: "embedded" (Stripe's Checkout drawn in a dialog of the page, needs the
  // publishable key) or "hosted" (the browser goes to Stripe's page and back).
  BILLFOLD_CHECKOUT_UI: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["hosted", "embedded"]).default("embedded")),
  CRON_SECRET: optional(z.string().min(16, "must be at least 16 characters")),
  SMTP_URL: optional(z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")),
  // A production build run locally against the emulator (the e2e server, `npm run dev -- --production`);
  // lib/core/production-guards.ts refuses development settings in production unless this is 1.
  BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: optional(z.enum(["0", "1"])),
  // Test hooks (lib/tooling/test-hooks.ts) for the e2e server only; lib/core/production-guards.ts decides where they may run.
  BILLFOLD_TEST_HOOKS: optional(z.enum(["0", "1"])),
  // The wallet's "Spend … (demo)" button, for the demo data only (`npm run dev`, the e2e server);
  // lib/core/production-guards.ts decides where it may show.
  BILLFOLD_DEMO_SPEND: optional(z.enum(["0", "1"])),
  MAIL_FROM: optional(z.string().min(3)),
  // The reverse proxies in front of the app, whose X-Forwarded-For entries are believed: a hop count
  // or a list of addresses/CIDR ranges (lib/core/http/client-address.ts). Unset: none, and per-IP budgets are off.
  TRUSTED_PROXIES: optional(
    z.string().superRefine((raw, ctx) => {
      try {
        parseTrustedProxies(raw);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      }
    }),
  ),
  // Per-IP budgets (attempts per window); per-email budgets are fixed in lib/accounts/throttle.ts.
  THROTTLE_SIGN_IN_PER_IP: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(100)),
  THROTTLE_EMAIL_PER_IP: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(30)),
  BILLFOLD_CURRENCY: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[A-Z]{3}$/).default("GBP")),
  TOPUP_MIN_MINOR: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(500)),
  TOPUP_MAX_MINOR: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().positive().default(50_000)),
  // How long a past_due subscription keeps its paid features while Stripe retries the card.
  PAST_DUE_GRACE_DAYS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(60).default(7)),
  // Who the receipts (the page /wallet/receipts/[id] and the top-up receipt email) say was paid.
  BILLFOLD_BUSINESS_NAME: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).max(200).default("Billfold")),
  // Lines separated by "|" or a newline (a literal \n in a .env file counts too).
  BILLFOLD_BUSINESS_ADDRESS: optional(z.string().max(1000)),
  BILLFOLD_VAT_NUMBER: optional(z.string().trim().min(2).max(40)),
  // VAT included in every top-up, in basis points (2000 = 20%); receipts then show the VAT amount.
  BILLFOLD_VAT_RATE_BP: optional(z.coerce.number().int().min(1).max(10_000)),
});

export type ServerEnv = z.infer<typeof serverSchema>;

export class InvalidEnvironmentError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv): ServerEnv {
  const result = serverSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new InvalidEnvironmentError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.TOPUP_MIN_MINOR > env.TOPUP_MAX_MINOR) {
    throw new InvalidEnvironmentError("Invalid environment configuration:\n  - TOPUP_MIN_MINOR: must not exceed TOPUP_MAX_MINOR");
  }
  if (env.BILLFOLD_VAT_RATE_BP !== undefined && env.BILLFOLD_VAT_NUMBER === undefined) {
    // A VAT amount on a receipt is only meaningful next to the seller's VAT registration number.
    throw new InvalidEnvironmentError("Invalid environment configuration:\n  - BILLFOLD_VAT_RATE_BP: needs BILLFOLD_VAT_NUMBER");
  }
  return env;
}

let cached: ServerEnv | undefined;

/** The validated server environment, parsed once per process. */
export function env(): ServerEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? e.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
}

/** The sender of every email; set MAIL_FROM to an address your SMTP provider lets you send from. */
export function mailFrom(): string {
  return env().MAIL_FROM ?? `Billfold <no-reply@${new URL(appUrl()).hostname}>`;
}

export function adminEmails(): string[] {
  return env().ADMIN_EMAILS ?? [];
}
