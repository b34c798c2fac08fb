import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("starts with no Stripe key and sensible defaults", () => {
    const env = parseEnv({ NODE_ENV: "test" });
    expect(env.STRIPE_SECRET_KEY).toBeUndefined();
    expect(env.BILLFOLD_CURRENCY).toBe("GBP");
    expect(env.TOPUP_MIN_MINOR).toBe(500); // £5.00
    expect(env.TOPUP_MAX_MINOR).toBe(50_000); // £500.00
  });

  it("treats empty strings as unset", () => {
    const env = parseEnv({ NODE_ENV: "test", STRIPE_SECRET_KEY: "", DATABASE_URL: "" });
    expect(env.STRIPE_SECRET_KEY).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("fails fast naming the malformed variable and never echoing its value", () => {
    const attempt = () => parseEnv({ NODE_ENV: "test", STRIPE_SECRET_KEY: "pk_test_oops-secret-value" });
    expect(attempt).toThrow(InvalidEnvironmentError);
    expect(attempt).toThrow(/STRIPE_SECRET_KEY: must start with sk_test_/);
    expect(attempt).not.toThrow(/oops-secret-value/);
  });

  it("rejects a non-Postgres database URL and an inverted top-up range", () => {
    expect(() => parseEnv({ NODE_ENV: "test", DATABASE_URL: "mysql://x@localhost/db" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ NODE_ENV: "test", TOPUP_MIN_MINOR: "1000", TOPUP_MAX_MINOR: "500" })).toThrow(/TOPUP_MIN_MINOR/);
  });

  it("parses ADMIN_EMAILS as a trimmed, lower-cased list and accepts rotated webhook secrets", () => {
    const env = parseEnv({ NODE_ENV: "test", ADMIN_EMAILS: " Boss@Example.com, ops@example.com ", STRIPE_WEBHOOK_SECRET: "whsec_new,whsec_old" });
    expect(env.ADMIN_EMAILS).toEqual(["boss@example.com", "ops@example.com"]);
    expect(env.STRIPE_WEBHOOK_SECRET).toBe("whsec_new,whsec_old");
    expect(() => parseEnv({ NODE_ENV: "test", ADMIN_EMAILS: "not-an-email" })).toThrow(/ADMIN_EMAILS/);
  });

  it("leaves production rules to lib/core/production-guards, so scripts like db:migrate run with DATABASE_URL alone", () => {
    expect(parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://app@db.internal/billfold" }).NODE_ENV).toBe("production");
  });

  it("accepts TRUSTED_PROXIES as a hop count or a list of addresses and ranges, and names a bad entry", () => {
    expect(parseEnv({ NODE_ENV: "test", TRUSTED_PROXIES: "1" }).TRUSTED_PROXIES).toBe("1");
    expect(parseEnv({ NODE_ENV: "test", TRUSTED_PROXIES: "10.0.0.0/8, loopback" }).TRUSTED_PROXIES).toBe("10.0.0.0/8, loopback");
    expect(() => parseEnv({ NODE_ENV: "test", TRUSTED_PROXIES: "10.0.0.0/8, proxy.example" })).toThrow(/TRUSTED_PROXIES: "proxy.example" is not an IP address/);
  });

  it("accepts only smtp:// or smtps:// for SMTP_URL", () => {
    expect(parseEnv({ NODE_ENV: "test", SMTP_URL: "smtps://user:pass@mail.example.com:465" }).SMTP_URL).toBe("smtps://user:pass@mail.example.com:465");
    expect(() => parseEnv({ NODE_ENV: "test", SMTP_URL: "https://mail.example.com" })).toThrow(/SMTP_URL: must be an smtp/);
  });
});
