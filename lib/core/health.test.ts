import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { checkHealth } from "./health";

const pools: pg.Pool[] = [];
function poolFor(connectionString: string | undefined) {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on("error", () => undefined);
  pools.push(pool);
  return pool;
}
afterAll(() => Promise.all(pools.map((pool) => pool.end())));

describe("checkHealth", () => {
  it("reports a reachable, fully migrated database as healthy", async () => {
    const report = await checkHealth(poolFor(process.env.DATABASE_URL));
    expect(report.ok).toBe(true);
    expect(report.database).toEqual({ reachable: true });
    expect(report.migrations).toMatchObject({ upToDate: true, pending: [], failed: [] });
    expect(report.migrations?.applied.length).toBeGreaterThanOrEqual(2);
  });

  it("reports an unreachable database without leaking its address", async () => {
    const report = await checkHealth(poolFor("postgresql://secret-user:secret-pass@127.0.0.1:1/nowhere"));
    expect(report).toEqual({ ok: false, database: { reachable: false, error: "database unreachable" }, migrations: null });
  });

  it("reports pending migrations as unhealthy", async () => {
    const url = new URL(process.env.DATABASE_URL ?? "");
    url.pathname = "/postgres"; // reachable, but never migrated by Billfold
    const report = await checkHealth(poolFor(url.toString()));
    expect(report.ok).toBe(false);
    expect(report.database.reachable).toBe(true);
    expect(report.migrations?.pending.length).toBeGreaterThanOrEqual(2);
  });

  it("gives up on a database that does not answer within a few seconds, and keeps the pool usable", async () => {
    const pool = poolFor(process.env.DATABASE_URL);
    const blocker = await pool.connect();
    const blocked = await pool.connect(); // the pool (max 2) is now exhausted
    const started = Date.now();
    const report = await checkHealth(pool);
    expect(report).toEqual({ ok: false, database: { reachable: false, error: "database unreachable" }, migrations: null });
    expect(Date.now() - started).toBeLessThan(4500);
    blocker.release();
    blocked.release();
    expect((await checkHealth(pool)).ok).toBe(true);
    expect(pool.totalCount).toBeLessThanOrEqual(2);
  });
});
