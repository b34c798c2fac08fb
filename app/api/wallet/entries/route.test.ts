import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callRoute, sessionCookie } from "@/test/next-request";
import { db } from "@/lib/core/db";
import { env } from "@/lib/core/env";
import { credit, debit } from "@/lib/ledger";
import { GET } from "./route";

// GET /api/wallet/entries through its real handler, session and database: /wallet's entry list as JSON.

async function get(query: string, user?: { id: string; email: string }) {
  const headers = user ? { cookie: await sessionCookie(user) } : undefined;
  return callRoute(GET, new Request(`http://localhost/api/wallet/entries${query}`, { headers }));
}

describe("GET /api/wallet/entries", () => {
  it("is 401 signed out", async () => {
    const response = await get("");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
  });

  it("pages through the signed-in user's own entries, newest first, and nobody else's", async () => {
    const currency = env().BILLFOLD_CURRENCY;
    const user = await db().user.create({ data: { email: `entries-${randomUUID()}@example.test` } });
    const other = await db().user.create({ data: { email: `entries-other-${randomUUID()}@example.test` } });
    await db().$transaction(async (tx) => {
      await credit(tx, { userId: user.id, currency, amountMinor: 1000, type: "ADJUSTMENT", idempotencyKey: `entries:${user.id}:1` }); // £10.00
      await debit(tx, { userId: user.id, currency, amountMinor: 250, type: "USAGE", idempotencyKey: `entries:${user.id}:2` }); // £2.50
      await debit(tx, { userId: user.id, currency, amountMinor: 100, type: "USAGE", idempotencyKey: `entries:${user.id}:3` }); // £1.00
      await credit(tx, { userId: other.id, currency, amountMinor: 500, type: "ADJUSTMENT", idempotencyKey: `entries:${other.id}:1` }); // £5.00
    });

    const first = await get("?limit=2", user);
    expect(first.status).toBe(200);
    const page1 = await first.json();
    expect(page1).toMatchObject({ currency, balanceMinor: 650 }); // £6.50
    expect(page1.entries.map((entry: { amountMinor: number }) => entry.amountMinor)).toEqual([-100, -250]);
    expect(page1.nextCursor).toEqual(expect.any(String));

    const page2 = await (await get(`?limit=2&cursor=${page1.nextCursor}`, user)).json();
    expect(page2.entries.map((entry: { amountMinor: number; balanceAfterMinor: number }) => [entry.amountMinor, entry.balanceAfterMinor])).toEqual([[1000, 1000]]);
    expect(page2.nextCursor).toBeNull();

    // A cursor naming another wallet's entry pages through nothing of theirs.
    const othersEntry = await db().ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: `entries:${other.id}:1` } });
    const foreign = await (await get(`?cursor=${othersEntry.id}`, user)).json();
    expect(foreign.entries).toEqual([]);
  });

  it("applies /wallet's filter to the page: type and whole UTC days", async () => {
    const currency = env().BILLFOLD_CURRENCY;
    const user = await db().user.create({ data: { email: `entries-filter-${randomUUID()}@example.test` } });
    await db().$transaction(async (tx) => {
      await credit(tx, { userId: user.id, currency, amountMinor: 1000, type: "ADJUSTMENT", idempotencyKey: `entries:${user.id}:1` }); // £10.00
      await debit(tx, { userId: user.id, currency, amountMinor: 250, type: "USAGE", idempotencyKey: `entries:${user.id}:2` }); // £2.50
    });
    await db().ledgerEntry.update({ where: { idempotencyKey: `entries:${user.id}:1` }, data: { createdAt: new Date("2031-06-01T12:00:00.000Z") } });
    await db().ledgerEntry.update({ where: { idempotencyKey: `entries:${user.id}:2` }, data: { createdAt: new Date("2031-06-02T12:00:00.000Z") } });
    const amounts = async (query: string) => ((await (await get(query, user)).json()).entries as Array<{ amountMinor: number }>).map((entry) => entry.amountMinor);
    expect(await amounts("?type=USAGE")).toEqual([-250]);
    expect(await amounts("?to=2031-06-01")).toEqual([1000]);
    expect(await amounts("?from=2031-06-01&to=2031-06-02")).toEqual([-250, 1000]);
    expect((await get("?from=someday", user)).status).toBe(422);
  });

  it("is 422 for a limit out of range", async () => {
    const user = await db().user.create({ data: { email: `entries-limit-${randomUUID()}@example.test` } });
    const response = await get("?limit=0", user);
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe("validation_error");
  });
});
