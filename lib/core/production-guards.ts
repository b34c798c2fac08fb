import { publishableKeyProblem } from "./checkout-ui";
import { InvalidEnvironmentError, parseEnv, type ServerEnv } from "./env";

// Every rule that keeps a production server off development settings, in one place. Start-up
// (instrumentation.ts) runs them, so `next start` exits naming each bad variable instead of serving.

/**
 * Webhook secrets published in this repository: whoever reads the code can sign events with them.
 * scripts/dev.ts and scripts/e2e-server.ts take theirs from here, so the list cannot fall behind.
 */
export const PUBLISHED_WEBHOOK_SECRETS = {
  devEmulator: "whsec_billfold_local_emulator_secret",
  e2e: "whsec_billfold_e2e_secret",
  bench: "whsec_bench_secret_0123456789",
  faults: "whsec_billfold_faults_secret",
} as const;

export interface ProductionProblem {
  variable: string;
  message: string;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const LIVE_KEY = /^(sk|rk)_live_/;

/**
 * True when the test hooks (lib/tooling/test-hooks.ts, e.g. making a webhook handler fail on purpose) may
 * run: BILLFOLD_TEST_HOOKS=1, never with a live Stripe key, and in production only on a local build
 * against the emulator (the development opt-out and a loopback STRIPE_API_HOST), where no real money
 * moves. The hooks ask this on every use, and start-up refuses the variable anywhere else.
 */
export function testHooksAllowed(env: ServerEnv): boolean {
  return env.BILLFOLD_TEST_HOOKS === "1" && isLocalBuildWithoutRealMoney(env);
}

/**
 * True when the wallet shows the "Spend … (demo)" button and its action spends: BILLFOLD_DEMO_SPEND=1,
 * which only scripts/dev.ts and the e2e server set, where the demo data is. It spends real credit on
 * nothing, so as with the test hooks: never with a live Stripe key, and in production only on a local
 * build against the emulator; start-up refuses the variable anywhere else.
 */
export function demoSpendAllowed(env: ServerEnv): boolean {
  return env.BILLFOLD_DEMO_SPEND === "1" && isLocalBuildWithoutRealMoney(env);
}

/** Never with a live Stripe key; in production only with the development opt-out and a loopback STRIPE_API_HOST. */
function isLocalBuildWithoutRealMoney(env: ServerEnv): boolean {
  if (LIVE_KEY.test(env.STRIPE_SECRET_KEY ?? "")) return false;
  if (env.NODE_ENV !== "production") return true;
  return env.BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS === "1" && LOOPBACK_HOSTS.has(env.STRIPE_API_HOST ?? "");
}

/**
 * The app's public URL must be https in production: next-auth marks session cookies Secure only when
 * its URL (NEXTAUTH_URL, which start-up fills from APP_URL) is https, and without one it assumes
 * http://localhost:3000. The development opt-in allows plain http (or no URL) on this machine only.
 */
function urlProblems(env: ServerEnv, developmentSettings: boolean): ProductionProblem[] {
  const set = (["NEXTAUTH_URL", "APP_URL"] as const).flatMap((variable) => (env[variable] ? [{ variable, url: new URL(env[variable]) }] : []));
  if (developmentSettings) {
    return set
      .filter(({ url }) => url.protocol !== "https:" && !LOOPBACK_HOSTS.has(url.hostname))
      .map(({ variable }) => ({ variable, message: "must be an https:// URL (plain http only on this machine: localhost, 127.0.0.1 or ::1)" }));
  }
  if (set.length === 0) {
    return [{ variable: "NEXTAUTH_URL", message: "required in production, or APP_URL (an https:// URL): without one next-auth assumes http://localhost:3000 and session cookies lose the Secure flag" }];
  }
  return set
    .filter(({ url }) => url.protocol !== "https:")
    .map(({ variable }) => ({ variable, message: "must be an https:// URL in production (session cookies are Secure only over https)" }));
}

/**
 * True when Google sign-in may go to a local stand-in (GOOGLE_STAND_IN_ISSUER, scripts/oauth-stand-in.ts)
 * instead of Google: whoever runs the issuer decides which address each Google sign-in proves, so it
 * is for the e2e server only. As for the test hooks: a loopback issuer, never with a live Stripe key,
 * and in production only on a local build against the emulator.
 */
export function oauthStandInAllowed(env: ServerEnv): boolean {
  if (!env.GOOGLE_STAND_IN_ISSUER || !LOOPBACK_HOSTS.has(new URL(env.GOOGLE_STAND_IN_ISSUER).hostname)) return false;
  return isLocalBuildWithoutRealMoney(env);
}

/**
 * What is wrong with this environment for production; empty outside production. The e2e server runs
 * a production build against the emulator and opts out with BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS=1.
 * That opt-out never waives NEXTAUTH_SECRET, without which anyone could forge a session; it is itself
 * refused with a live Stripe key; and it allows a plain http app URL only on this machine.
 */
export function productionProblems(env: ServerEnv): ProductionProblem[] {
  if (env.NODE_ENV !== "production") return [];
  const problems: ProductionProblem[] = [];
  const problem = (variable: string, message: string) => problems.push({ variable, message });

  const developmentSettings = env.BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS === "1";
  if (!env.NEXTAUTH_SECRET) problem("NEXTAUTH_SECRET", "required in production (it signs session tokens)");
  urlProblems(env, developmentSettings).forEach(({ variable, message }) => problem(variable, message));
  // Checked before the opt-out: the opt-out alone does not allow test hooks (see testHooksAllowed).
  if (env.BILLFOLD_TEST_HOOKS === "1" && !testHooksAllowed(env)) {
    problem("BILLFOLD_TEST_HOOKS", "must be unset in production (test hooks make webhook handlers fail on request); only a local build against the emulator may use them");
  }
  if (env.BILLFOLD_DEMO_SPEND === "1" && !demoSpendAllowed(env)) {
    problem("BILLFOLD_DEMO_SPEND", "must be unset in production (the wallet's demo button spends real credit on nothing); only a local build against the emulator may show it");
  }
  if (env.GOOGLE_STAND_IN_ISSUER && !oauthStandInAllowed(env)) {
    problem("GOOGLE_STAND_IN_ISSUER", "must be unset in production (it sends Google sign-in to a stand-in that vouches for any address); only a local build against the emulator may use one on a loopback address");
  }
  if (developmentSettings && LIVE_KEY.test(env.STRIPE_SECRET_KEY ?? "")) {
    problem("BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS", "must be unset with a live Stripe key (sk_live_/rk_live_): the opt-in is for a local build against the emulator, where no real money moves");
  }
  // Embedded Checkout would draw a session of one mode with a key of the other, and fail for every buyer.
  const keyProblem = publishableKeyProblem(env);
  if (keyProblem) problem("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", keyProblem);
  if (developmentSettings) return problems;

  if (env.STRIPE_API_HOST) problem("STRIPE_API_HOST", "must be unset in production (it points the Stripe SDK away from Stripe, e.g. at the emulator)");
  if (env.STRIPE_API_PROTOCOL === "http") problem("STRIPE_API_PROTOCOL", "must not be http in production");
  const published = new Set<string>(Object.values(PUBLISHED_WEBHOOK_SECRETS));
  const webhookSecrets = (env.STRIPE_WEBHOOK_SECRET ?? "").split(",").map((secret) => secret.trim());
  if (webhookSecrets.some((secret) => published.has(secret))) {
    problem("STRIPE_WEBHOOK_SECRET", "contains a secret published in this repository (the emulator's); anyone could sign events with it");
  }
  if (!env.CRON_SECRET) problem("CRON_SECRET", "required in production (without it failed webhook events are never retried)");
  if (!env.SMTP_URL) problem("SMTP_URL", "required in production (verification and password-reset mail go through it)");
  return problems;
}

const NEVER_WAIVED = new Set(["NEXTAUTH_SECRET", "BILLFOLD_TEST_HOOKS", "BILLFOLD_DEMO_SPEND", "BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS", "GOOGLE_STAND_IN_ISSUER", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"]);

/** Throws one error listing every problem, each line naming its variable. */
export function assertProductionReady(env: ServerEnv): void {
  const problems = productionProblems(env);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  - ${p.variable}: ${p.message}`);
  if (problems.some((p) => !NEVER_WAIVED.has(p.variable))) {
    lines.push("(BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS=1 waives these, for a local production build against the emulator only.)");
  }
  throw new InvalidEnvironmentError(`Refusing to start in production:\n${lines.join("\n")}`);
}

/** Start-up check over process.env; skipped while `next build` prerenders, where no secrets are needed. */
export function checkEnvironmentAtStartup(source: NodeJS.ProcessEnv = process.env): void {
  if (source.NEXT_PHASE === "phase-production-build") return;
  assertProductionReady(parseEnv(source));
}

/**
 * For instrumentation.ts: print the problems and exit. Rethrowing would not do: Next.js logs a
 * failed register() and goes on listening.
 */
export function exitOnBadEnvironment(): void {
  try {
    checkEnvironmentAtStartup();
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
