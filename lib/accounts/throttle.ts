import { createHash } from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { databaseUrl } from "../core/db";
import { env } from "../core/env";
import { TooManyRequestsError } from "../core/errors";
import { clientAddress, parseTrustedProxies, type TrustedProxies } from "../core/http/client-address";

// Attempt budgets. Per-email budgets are fixed (they protect one account); per-IP budgets come
// from env, since many people can share an address (and the e2e suite signs everyone in from 127.0.0.1).
const BUDGETS = {
  // Sign-in attempts; a successful sign-in clears the email's counter, so these are effectively failures.
  signInEmail: { points: () => 10, durationSeconds: 15 * 60 },
  signInIp: { points: () => env().THROTTLE_SIGN_IN_PER_IP, durationSeconds: 15 * 60 },
  // Actions that send an email: sign-up, password-reset request, verification resend.
  signUpEmail: { points: () => 3, durationSeconds: 60 * 60 },
  signUpIp: { points: () => env().THROTTLE_EMAIL_PER_IP, durationSeconds: 60 * 60 },
  resetEmail: { points: () => 3, durationSeconds: 60 * 60 },
  resetIp: { points: () => env().THROTTLE_EMAIL_PER_IP, durationSeconds: 60 * 60 },
  verifyEmail: { points: () => 3, durationSeconds: 60 * 60 },
  verifyIp: { points: () => env().THROTTLE_EMAIL_PER_IP, durationSeconds: 60 * 60 },
} as const;

export type Budget = keyof typeof BUDGETS;

declare global {
  var billfoldThrottlePool: pg.Pool | undefined;
}

// A small pool of its own: the limiter speaks node-postgres, and its queries are one statement each.
function pool(): pg.Pool {
  globalThis.billfoldThrottlePool ??= new pg.Pool({ connectionString: databaseUrl(), max: 3 });
  return globalThis.billfoldThrottlePool;
}

// The limiter names its statements, which makes node-postgres PREPARE them once per connection.
// Behind a transaction-mode pooler (PgBouncer, Supabase's pooler) connections share server sessions
// and the second PREPARE fails with "already exists", so every query is sent unnamed instead: the
// statements are tiny, and planning them each time costs nothing measurable.
const unnamedQueries = {
  query: (q: { text: string; values?: unknown[] }) => pool().query({ text: q.text, values: q.values }),
};

const limiters = new Map<string, RateLimiterPostgres>();

function limiter(budget: Budget): RateLimiterPostgres {
  const { points, durationSeconds } = BUDGETS[budget];
  const cacheKey = `${budget}:${points()}`;
  let found = limiters.get(cacheKey);
  if (!found) {
    // The table is created by a migration (model RateLimit), so the limiter never runs DDL.
    found = new RateLimiterPostgres({
      storeClient: unnamedQueries,
      storeType: "pool",
      tableName: "RateLimit",
      tableCreated: true,
      keyPrefix: budget,
      points: points(),
      duration: durationSeconds,
    });
    limiters.set(cacheKey, found);
  }
  return found;
}

/** Emails are hashed in keys so the rate-limit table holds no addresses; IPs are kept as they are. */
export function emailKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 40);
}

/**
 * Counts one attempt against each budget. Throws TooManyRequestsError (with the longest wait)
 * when any budget is spent. Every counter is charged, so an attacker can't spread attempts to dodge one.
 * A null key (an IP we could not learn) is skipped rather than pooled into one budget everybody shares.
 */
export async function consumeAttempt(hits: Array<{ budget: Budget; key: string | null }>): Promise<void> {
  const counted = hits.flatMap(({ budget, key }) => (key === null ? [] : [{ budget, key }]));
  const results = await Promise.allSettled(counted.map(({ budget, key }) => limiter(budget).consume(key, 1)));
  let waitMs: number | null = null;
  for (const result of results) {
    if (result.status === "fulfilled") continue;
    if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
    waitMs = Math.max(waitMs ?? 0, result.reason.msBeforeNext);
  }
  if (waitMs !== null) throw new TooManyRequestsError(Math.max(1, Math.ceil(waitMs / 1000)));
}

/** Forgets a key's attempts (after a successful sign-in). */
export async function clearAttempts(budget: Budget, key: string): Promise<void> {
  await limiter(budget).delete(key);
}

let trusted: { setting: string | undefined; proxies: TrustedProxies } | undefined;

/** TRUSTED_PROXIES, parsed once (lib/core/env.ts has already refused a setting that does not parse). */
function trustedProxies(): TrustedProxies {
  const setting = env().TRUSTED_PROXIES;
  if (!trusted || trusted.setting !== setting) trusted = { setting, proxies: parseTrustedProxies(setting) };
  return trusted.proxies;
}

/**
 * The client's IP as our own proxies report it (TRUSTED_PROXIES), or null when no proxy is trusted or
 * the header does not carry an address they added. Null skips the per-IP budgets: pooling every such
 * request under one key would let one attacker lock everybody out, and a forged address would let
 * them dodge the budget. The per-email budgets apply either way.
 */
export function clientIp(headers: Headers, proxies: TrustedProxies = trustedProxies()): string | null {
  return clientAddress(headers, proxies);
}
