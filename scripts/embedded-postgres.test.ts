import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "../lib/core/migrations";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { freePort } from "./free-port";

// The embedded database `npm run dev` starts by default must hold under concurrent writers: the
// PGlite build it replaced answered 3 of 100 concurrent deliveries of one event with a 500, because
// pool connections shared its single session. Same start function as dev, own data dir and port.

const tempDir = await mkdtemp(path.join(os.tmpdir(), "billfold-embedded-"));
// Run as root, the server runs as the `postgres` user, which must be able to reach the data dir.
await chmod(tempDir, 0o755);
const embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, "data"), port: await freePort() });
await migrate(embedded.url);

// Set before the first env() call, which happens inside the route and the fixtures.
process.env.DATABASE_URL = embedded.url;

const fixtures = await import("../test/webhook-events");
const webhook = await fixtures.webhookRoute({ secret: "whsec_test_embedded_concurrency_0123456789" });
const { db } = await import("../lib/core/db");
const { findLedgerViolations } = await import("../lib/ledger/invariants");

afterAll(async () => {
  await db().$disconnect();
  await embedded.stop();
  await rm(tempDir, { recursive: true, force: true });
});

describe("the embedded PostgreSQL npm run dev starts", () => {
  it("serves the database the app uses", async () => {
    const [row] = await db().$queryRaw<Array<{ port: number }>>`SELECT inet_server_port() AS port`;
    expect(row?.port).toBe(embedded.port);
  });

  it("gives each connection its own session, so one connection's open transaction is invisible to another", async () => {
    // The PGlite failure in miniature: there, both clients were one session and B saw A's transaction.
    const a = new pg.Client({ connectionString: embedded.url });
    const b = new pg.Client({ connectionString: embedded.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query("BEGIN");
      await a.query("SELECT set_config('billfold.probe', 'from-a', true)");
      const seenByB = await b.query<{ probe: string | null }>("SELECT current_setting('billfold.probe', true) AS probe");
      expect(seenByB.rows[0]?.probe ?? "").toBe("");
      const pids = await Promise.all([a, b].map(async (client) => (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid));
      expect(new Set(pids).size).toBe(2);
      await a.query("ROLLBACK");
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("answers 100 concurrent deliveries of one top-up event with 2xx and credits it once", async () => {
    const p = await fixtures.createPendingPurchase(1500); // £15.00
    const body = JSON.stringify(fixtures.stripeEvent("checkout.session.completed", fixtures.checkoutSession(p)));
    const signature = fixtures.signatureFor(body, webhook.secret);

    const statuses = await Promise.all(
      Array.from({ length: 100 }, async () => (await webhook.post(body, signature)).status),
    );

    expect(statuses.filter((status) => status >= 200 && status < 300)).toHaveLength(100);
    const state = await fixtures.walletState(p.userId);
    expect(state.balanceMinor).toBe(1500); // £15.00
    expect(state.entries.filter((entry) => entry.type === "TOPUP")).toHaveLength(1);
    expect((await findLedgerViolations()).violations).toEqual([]);
  });
});
