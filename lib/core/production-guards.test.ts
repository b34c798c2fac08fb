import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "./env";
import { assertProductionReady, checkEnvironmentAtStartup, demoSpendAllowed, oauthStandInAllowed, productionProblems, PUBLISHED_WEBHOOK_SECRETS } from "./production-guards";
import { SAFE_PRODUCTION_ENV } from "@/test/production-env";

type Vars = Record<string, string | undefined>;
// Next's types make NODE_ENV a required key of NodeJS.ProcessEnv; these partial literals are what the guards read.
const parse = (vars: Vars) => parseEnv(vars as NodeJS.ProcessEnv);
const startup = (vars: Vars) => checkEnvironmentAtStartup(vars as NodeJS.ProcessEnv);

// A production environment with nothing wrong; each case below breaks exactly one setting.
const SAFE: Vars = { ...SAFE_PRODUCTION_ENV };

const refused: Array<{ setting: string; variable: string; change: Vars; reason: RegExp }> = [
  { setting: "an API host (the emulator)", variable: "STRIPE_API_HOST", change: { STRIPE_API_HOST: "127.0.0.1" }, reason: /must be unset/ },
  { setting: "plain http to Stripe", variable: "STRIPE_API_PROTOCOL", change: { STRIPE_API_PROTOCOL: "http" }, reason: /must not be http/ },
  { setting: "npm run dev's emulator secret", variable: "STRIPE_WEBHOOK_SECRET", change: { STRIPE_WEBHOOK_SECRET: PUBLISHED_WEBHOOK_SECRETS.devEmulator }, reason: /published/ },
  { setting: "the e2e server's secret", variable: "STRIPE_WEBHOOK_SECRET", change: { STRIPE_WEBHOOK_SECRET: PUBLISHED_WEBHOOK_SECRETS.e2e }, reason: /published/ },
  { setting: "a published secret behind a real one (rotation list)", variable: "STRIPE_WEBHOOK_SECRET", change: { STRIPE_WEBHOOK_SECRET: `whsec_realSecret0123456789,${PUBLISHED_WEBHOOK_SECRETS.devEmulator}` }, reason: /published/ },
  { setting: "no cron secret", variable: "CRON_SECRET", change: { CRON_SECRET: undefined }, reason: /required in production/ },
  { setting: "an empty cron secret", variable: "CRON_SECRET", change: { CRON_SECRET: "" }, reason: /required in production/ },
  { setting: "no SMTP server", variable: "SMTP_URL", change: { SMTP_URL: undefined }, reason: /required in production/ },
  { setting: "test hooks", variable: "BILLFOLD_TEST_HOOKS", change: { BILLFOLD_TEST_HOOKS: "1" }, reason: /must be unset in production/ },
  { setting: "the demo spend button", variable: "BILLFOLD_DEMO_SPEND", change: { BILLFOLD_DEMO_SPEND: "1" }, reason: /must be unset in production/ },
  { setting: "the e2e server's OAuth stand-in", variable: "GOOGLE_STAND_IN_ISSUER", change: { GOOGLE_STAND_IN_ISSUER: "http://127.0.0.1:1190" }, reason: /must be unset in production/ },
  { setting: "no session secret", variable: "NEXTAUTH_SECRET", change: { NEXTAUTH_SECRET: undefined }, reason: /required in production/ },
  { setting: "the development opt-in with a live secret key", variable: "BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS", change: { BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1" }, reason: /live Stripe key/ },
  { setting: "the development opt-in with a live restricted key", variable: "BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS", change: { BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", STRIPE_SECRET_KEY: "rk_live_0123456789" }, reason: /live Stripe key/ },
  { setting: "a test publishable key with a live secret key", variable: "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", change: { NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_test_0123456789" }, reason: /test-mode key but STRIPE_SECRET_KEY is a live-mode key/ },
  { setting: "a live publishable key with a test restricted key", variable: "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", change: { NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_live_0123456789", STRIPE_SECRET_KEY: "rk_test_0123456789" }, reason: /live-mode key but STRIPE_SECRET_KEY is a test-mode key/ },
  { setting: "an http APP_URL", variable: "APP_URL", change: { APP_URL: "http://billfold.example.com" }, reason: /https/ },
  { setting: "an http NEXTAUTH_URL", variable: "NEXTAUTH_URL", change: { NEXTAUTH_URL: "http://billfold.example.com" }, reason: /https/ },
  { setting: "no app URL at all (next-auth would assume http://localhost:3000)", variable: "NEXTAUTH_URL", change: { APP_URL: undefined }, reason: /required in production/ },
];

describe("production guards", () => {
  it("accept a complete production environment", () => {
    expect(productionProblems(parse(SAFE))).toEqual([]);
    expect(() => startup(SAFE)).not.toThrow();
  });

  it.each(refused)("refuse $setting with a message naming $variable", ({ variable, change, reason }) => {
    const env = parse({ ...SAFE, ...change });
    expect(productionProblems(env)).toEqual([{ variable, message: expect.stringMatching(reason) }]);
    expect(() => assertProductionReady(env)).toThrow(InvalidEnvironmentError);
    expect(() => assertProductionReady(env)).toThrow(new RegExp(`- ${variable}: `));
  });

  it("report every problem at once", () => {
    const env = parse({ NODE_ENV: "production", STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PROTOCOL: "http" });
    expect(productionProblems(env).map((p) => p.variable)).toEqual(["NEXTAUTH_SECRET", "NEXTAUTH_URL", "STRIPE_API_HOST", "STRIPE_API_PROTOCOL", "CRON_SECRET", "SMTP_URL"]);
  });

  it("do not apply outside production, or while `next build` prerenders", () => {
    const development = { ...SAFE, NODE_ENV: "development", STRIPE_API_HOST: "127.0.0.1", CRON_SECRET: undefined };
    expect(productionProblems(parse(development))).toEqual([]);
    expect(() => startup({ ...SAFE, CRON_SECRET: undefined, NEXT_PHASE: "phase-production-build" })).not.toThrow();
    expect(() => startup({ ...SAFE, CRON_SECRET: undefined })).toThrow(/CRON_SECRET/);
  });

  it("let the e2e server's explicit opt-in waive development settings, but never NEXTAUTH_SECRET", () => {
    const e2e = {
      NODE_ENV: "production",
      BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1",
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PROTOCOL: "http",
      STRIPE_WEBHOOK_SECRET: PUBLISHED_WEBHOOK_SECRETS.e2e,
    };
    expect(productionProblems(parse({ ...e2e, NEXTAUTH_SECRET: SAFE.NEXTAUTH_SECRET }))).toEqual([]);
    expect(productionProblems(parse(e2e)).map((p) => p.variable)).toEqual(["NEXTAUTH_SECRET"]);
    // Test hooks only with the opt-out and the local emulator; the opt-out alone does not allow them.
    expect(productionProblems(parse({ ...e2e, NEXTAUTH_SECRET: SAFE.NEXTAUTH_SECRET, BILLFOLD_TEST_HOOKS: "1" }))).toEqual([]);
    // (SAFE has a live key, which the opt-in itself is refused with.)
    expect(productionProblems(parse({ ...SAFE, BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", BILLFOLD_TEST_HOOKS: "1" })).map((p) => p.variable)).toEqual(["BILLFOLD_TEST_HOOKS", "BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS"]);
    expect(productionProblems(parse({ ...SAFE, STRIPE_SECRET_KEY: "sk_test_0123456789", BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", BILLFOLD_TEST_HOOKS: "1" })).map((p) => p.variable)).toEqual(["BILLFOLD_TEST_HOOKS"]);
    // Only "1" opts out; anything else is a typo, refused by the schema rather than read as "off".
    expect(productionProblems(parse({ ...SAFE, BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "0", STRIPE_API_HOST: "x" })).map((p) => p.variable)).toEqual(["STRIPE_API_HOST"]);
    expect(() => parse({ ...SAFE, BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "yes" })).toThrow(/BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS/);
  });

  it("let the opt-in serve plain http only on this machine, and never with a live key", () => {
    const local = {
      NODE_ENV: "production",
      BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1",
      NEXTAUTH_SECRET: SAFE.NEXTAUTH_SECRET,
      STRIPE_SECRET_KEY: "sk_test_billfold_e2e",
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PROTOCOL: "http",
    };
    for (const url of ["http://127.0.0.1:3100", "http://localhost:3000", "http://[::1]:3000"]) {
      expect(productionProblems(parse({ ...local, APP_URL: url, NEXTAUTH_URL: url })), url).toEqual([]);
    }
    expect(productionProblems(parse({ ...local, APP_URL: "http://billfold.example.com" })).map((p) => p.variable)).toEqual(["APP_URL"]);
    expect(productionProblems(parse({ ...local, NEXTAUTH_URL: "http://10.0.0.5:3000" })).map((p) => p.variable)).toEqual(["NEXTAUTH_URL"]);
    expect(productionProblems(parse({ ...local, STRIPE_SECRET_KEY: "sk_live_0123456789" })).map((p) => p.variable)).toEqual(["BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS"]);
  });

  it("show the demo spend button only where the demo data is: npm run dev and the e2e server's local build, never with a live key", () => {
    const demo = { BILLFOLD_DEMO_SPEND: "1" };
    expect(demoSpendAllowed(parse({ ...SAFE, NODE_ENV: "development", STRIPE_SECRET_KEY: "sk_test_dev", ...demo }))).toBe(true);
    const e2e = { ...SAFE, BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", STRIPE_API_HOST: "127.0.0.1", STRIPE_SECRET_KEY: "sk_test_e2e", ...demo };
    expect(demoSpendAllowed(parse(e2e))).toBe(true);
    expect(productionProblems(parse(e2e))).toEqual([]);
    // Unset, it is off everywhere; set, never with a live key, nor in a production deployment.
    expect(demoSpendAllowed(parse({ ...SAFE, NODE_ENV: "development", STRIPE_SECRET_KEY: "sk_test_dev" }))).toBe(false);
    expect(demoSpendAllowed(parse({ ...SAFE, NODE_ENV: "development", ...demo }))).toBe(false);
    expect(demoSpendAllowed(parse({ ...SAFE, ...demo }))).toBe(false);
    expect(demoSpendAllowed(parse({ ...SAFE, STRIPE_SECRET_KEY: "sk_test_0123456789", ...demo }))).toBe(false);
    expect(productionProblems(parse({ ...SAFE, STRIPE_SECRET_KEY: "sk_test_0123456789", ...demo })).map((p) => p.variable)).toEqual(["BILLFOLD_DEMO_SPEND"]);
  });

  it("let Google sign-in go to a stand-in only on a loopback issuer, never with a live key, and in production only on the e2e server's local build", () => {
    const standIn = { GOOGLE_STAND_IN_ISSUER: "http://127.0.0.1:1190" };
    const e2e = { ...SAFE, BILLFOLD_ALLOW_DEVELOPMENT_SETTINGS: "1", STRIPE_API_HOST: "127.0.0.1", STRIPE_SECRET_KEY: "sk_test_e2e", ...standIn };
    expect(oauthStandInAllowed(parse(e2e))).toBe(true);
    expect(productionProblems(parse(e2e))).toEqual([]);
    expect(oauthStandInAllowed(parse({ ...SAFE, NODE_ENV: "development", STRIPE_SECRET_KEY: "sk_test_dev", ...standIn }))).toBe(true);
    // Whoever runs a remote issuer would decide which address every Google sign-in proves.
    expect(oauthStandInAllowed(parse({ ...e2e, GOOGLE_STAND_IN_ISSUER: "https://idp.example.com" }))).toBe(false);
    expect(oauthStandInAllowed(parse({ ...SAFE, NODE_ENV: "development", STRIPE_SECRET_KEY: "sk_test_dev", GOOGLE_STAND_IN_ISSUER: "https://idp.example.com" }))).toBe(false);
    expect(productionProblems(parse({ ...e2e, GOOGLE_STAND_IN_ISSUER: "https://idp.example.com" })).map((p) => p.variable)).toEqual(["GOOGLE_STAND_IN_ISSUER"]);
    expect(oauthStandInAllowed(parse({ ...e2e, STRIPE_SECRET_KEY: "sk_live_x" }))).toBe(false);
    expect(oauthStandInAllowed(parse({ ...e2e, STRIPE_API_HOST: undefined }))).toBe(false);
    expect(oauthStandInAllowed(parse(SAFE))).toBe(false);
  });

  it("never echo a secret's value", () => {
    const env = parse({ ...SAFE, STRIPE_WEBHOOK_SECRET: PUBLISHED_WEBHOOK_SECRETS.devEmulator });
    expect(() => assertProductionReady(env)).not.toThrow(new RegExp(PUBLISHED_WEBHOOK_SECRETS.devEmulator));
  });
});
