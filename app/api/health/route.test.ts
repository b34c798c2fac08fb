// Next.js puts AsyncLocalStorage on globalThis before anything else loads (see test/next-request.ts).
import "next/dist/server/node-environment-baseline";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { adminUrl, createThrowawayDatabase } from "@/test/throwaway-db";

// GET /api/health through the real handler, against a database of its own so that every session
// opened on it is this file's: the public answer says only whether the app can serve, comes from the
// shared pool and is cached, and the details need the cron bearer token or an admin.

const database = await createThrowawayDatabase("billfold_health");
process.env.DATABASE_URL = database.url;
const CRON_SECRET = "health-test-cron-secret-0123456789";
process.env.CRON_SECRET = CRON_SECRET;

const { GET } = await import("./route");
const { GET: detailsGET } = await import("./details/route");
const { PUBLIC_HEALTH_CACHE_MS } = await import("@/lib/core/health");
const { db } = await import("@/lib/core/db");
const { callRoute, sessionCookie } = await import("@/test/next-request");

afterEach(() => vi.useRealTimers());
afterAll(async () => {
  await db().$disconnect();
  await globalThis.billfoldPgPool?.end();
  globalThis.billfoldPgPool = undefined;
  await database.drop();
});

const routeContext = { params: Promise.resolve({}) };
const get = (headers: Record<string, string> = {}) => GET(new Request("http://localhost/api/health", { headers }), routeContext);

/** Moves the clock past the public answer's cache, so the next request checks the database again. */
let clock = Date.now();
function expireCache() {
  clock += PUBLIC_HEALTH_CACHE_MS + 1;
  vi.useFakeTimers({ toFake: ["Date"], now: clock });
}

/** How many sessions were ever opened on the test database (PostgreSQL counts them per database). */
async function sessionsOpened(): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Backends report their counts when they exit or go idle; give the ones just closed a moment.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { rows } = await admin.query<{ sessions: string }>("SELECT sessions FROM pg_stat_database WHERE datname = $1", [database.name]);
    return Number(rows[0]?.sessions ?? 0);
  } finally {
    await admin.end();
  }
}

describe("GET /api/health", () => {
  it("answers { status } and nothing else", async () => {
    expireCache();
    const response = await get();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers 100 concurrent requests without opening a connection for each", async () => {
    expireCache();
    const before = await sessionsOpened();
    const responses = await Promise.all(Array.from({ length: 100 }, () => get()));
    expect(responses.map((response) => response.status)).toEqual(Array(100).fill(200));
    // The shared pool holds at most 10, and one check answers the whole burst.
    expect((await sessionsOpened()) - before).toBeLessThanOrEqual(2);
  });

  it("answers from one check for a few seconds, then checks again", async () => {
    expireCache();
    expect((await get()).status).toBe(200);
    const [latest] = await db().$queryRaw<Array<{ name: string }>>`SELECT max(migration_name) AS name FROM "_prisma_migrations"`;
    await db().$executeRaw`UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = ${latest!.name}`; // a failed migration
    try {
      expect((await get()).status).toBe(200); // still the cached answer
      expireCache();
      const response = await get();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unavailable" });
    } finally {
      await db().$executeRaw`UPDATE "_prisma_migrations" SET finished_at = started_at WHERE migration_name = ${latest!.name}`;
    }
  });
});

describe("GET /api/health/details", () => {
  const details = (headers: Record<string, string> = {}) => callRoute(detailsGET, new Request("http://localhost/api/health/details", { headers }));

  it("refuses a request without the cron bearer token or an admin session", async () => {
    const refused: Array<Record<string, string>> = [{}, { authorization: "Bearer not-the-secret" }, { authorization: CRON_SECRET }];
    for (const headers of refused) {
      const response = await details(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      const body = await response.json();
      expect(body.error.code).toBe("unauthorized");
      expect(JSON.stringify(body)).not.toMatch(/migration|_init/);
    }
    const user = await db().user.create({ data: { email: `health-user-${Date.now()}@example.test` } });
    expect((await details({ cookie: await sessionCookie(user) })).status).toBe(403);
  });

  it("reports the database and migrations to the cron bearer token and to an admin", async () => {
    const admin = await db().user.create({ data: { email: `health-admin-${Date.now()}@example.test`, role: "ADMIN", emailVerified: new Date() } });
    const allowed: Array<Record<string, string>> = [{ authorization: `Bearer ${CRON_SECRET}` }, { cookie: await sessionCookie(admin) }];
    for (const headers of allowed) {
      const response = await details(headers);
      expect(response.status).toBe(200);
      const report = await response.json();
      expect(report).toMatchObject({ ok: true, database: { reachable: true }, migrations: { upToDate: true, pending: [], failed: [] } });
      expect(report.migrations.applied).toContain("20261123180000_init");
    }
  });
});
