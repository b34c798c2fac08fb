import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TooManyRequestsError } from "../core/errors";
import { parseTrustedProxies } from "../core/http/client-address";
import { clearAttempts, clientIp, consumeAttempt, emailKey } from "./throttle";

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
beforeAll(() => client.connect());
afterAll(() => client.end());

const signInAttempt = (email: string, ip = randomUUID()) => consumeAttempt([
  { budget: "signInIp", key: ip },
  { budget: "signInEmail", key: emailKey(email) },
]);

describe("throttle (rate-limiter-flexible on PostgreSQL)", () => {
  it("answers 10 sign-in attempts for one email and refuses the 11th, from any IP, with the wait", async () => {
    const email = `throttle-${randomUUID()}@example.test`;
    for (let attempt = 1; attempt <= 10; attempt++) await signInAttempt(email);
    const eleventh = signInAttempt(email);
    await expect(eleventh).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(eleventh).rejects.toMatchObject({ status: 429, code: "rate_limited", message: "Too many attempts. Try again in 15 minutes." });
    const error = await signInAttempt(email).catch((e: unknown) => e);
    expect(error instanceof TooManyRequestsError && error.retryAfterSeconds).toBeGreaterThan(14 * 60);
  });

  it("a successful sign-in clears the email's count", async () => {
    const email = `throttle-${randomUUID()}@example.test`;
    for (let attempt = 1; attempt <= 10; attempt++) await signInAttempt(email);
    await clearAttempts("signInEmail", emailKey(email));
    await expect(signInAttempt(email)).resolves.toBeUndefined();
  });

  it("limits one IP across many emails by its own budget", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    const hit = () => consumeAttempt([{ budget: "signUpIp", key: ip }]);
    for (let attempt = 1; attempt <= 30; attempt++) await hit(); // THROTTLE_EMAIL_PER_IP defaults to 30
    await expect(hit()).rejects.toMatchObject({ status: 429, message: "Too many attempts. Try again in 60 minutes." });
  });

  it("stores counters in the migrated RateLimit table, with emails hashed", async () => {
    const email = `stored-${randomUUID()}@example.test`;
    await signInAttempt(email);
    const rows = await client.query<{ key: string; points: number }>(`SELECT key, points FROM "RateLimit" WHERE key = $1`, [`signInEmail:${emailKey(email)}`]);
    expect(rows.rows).toEqual([{ key: `signInEmail:${emailKey(email)}`, points: 1 }]);
    const leaked = await client.query(`SELECT 1 FROM "RateLimit" WHERE key LIKE $1`, [`%${email}%`]);
    expect(leaked.rowCount).toBe(0);
  });

  it("takes the client IP from the right of X-Forwarded-For, past the trusted hops, so a forged first entry is ignored", () => {
    // nginx and most load balancers append the address they saw to whatever the client sent.
    const forged = new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.7" });
    expect(clientIp(forged, parseTrustedProxies("1"))).toBe("203.0.113.7");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.7, 10.0.0.1" }), parseTrustedProxies("2"))).toBe("203.0.113.7");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.7, 10.0.0.1" }), parseTrustedProxies("10.0.0.0/8"))).toBe("203.0.113.7");
  });

  it("trusts no proxy header when TRUSTED_PROXIES is unset", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }), parseTrustedProxies(undefined))).toBeNull();
    expect(clientIp(new Headers({ "x-real-ip": "203.0.113.8" }), parseTrustedProxies("1"))).toBeNull();
    expect(clientIp(new Headers(), parseTrustedProxies("1"))).toBeNull();
  });

  it("skips a per-IP budget when the IP is unknown, but still counts the email", async () => {
    const email = `no-ip-${randomUUID()}@example.test`;
    for (let attempt = 1; attempt <= 40; attempt++) await consumeAttempt([{ budget: "signUpIp", key: null }]);
    for (let attempt = 1; attempt <= 10; attempt++) await consumeAttempt([{ budget: "signInIp", key: null }, { budget: "signInEmail", key: emailKey(email) }]);
    await expect(consumeAttempt([{ budget: "signInIp", key: null }, { budget: "signInEmail", key: emailKey(email) }])).rejects.toBeInstanceOf(TooManyRequestsError);
  });
});
