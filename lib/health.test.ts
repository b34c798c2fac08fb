import { describe, expect, it } from "vitest";
import { checkHealth } from "./health";

describe("checkHealth", () => {
  it("reports a reachable, fully migrated database as healthy", async () => {
    const report = await checkHealth(process.env.DATABASE_URL);
    expect(report.ok).toBe(true);
    expect(report.database).toEqual({ reachable: true });
    expect(report.migrations).toMatchObject({ upToDate: true, pending: [], failed: [] });
    expect(report.migrations?.applied.length).toBeGreaterThanOrEqual(2);
  });

  it("reports an unreachable database without leaking its address", async () => {
    const report = await checkHealth("postgresql://secret-user:secret-pass@127.0.0.1:1/nowhere");
    expect(report).toEqual({ ok: false, database: { reachable: false, error: "database unreachable" }, migrations: null });
  });

  it("reports pending migrations as unhealthy", async () => {
    const url = new URL(process.env.DATABASE_URL ?? "");
    url.pathname = "/postgres"; // reachable, but never migrated by Billfold
    const report = await checkHealth(url.toString());
    expect(report.ok).toBe(false);
    expect(report.database.reachable).toBe(true);
    expect(report.migrations?.pending.length).toBeGreaterThanOrEqual(2);
  });
});
