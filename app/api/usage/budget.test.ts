import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/core/db";
import { env } from "@/lib/core/env";
import { credit } from "@/lib/ledger";
import { callRoute, sessionCookie } from "@/test/next-request";
import { countStatements, type StatementCount } from "@/test/statement-count";
import { POST } from "./route";

// The spend route's budget, in statements and commits (test/statement-count.ts), through the real
// handler, session cookie and database: the session's user read once, then the spend in one
// statement (lib/ledger/one-statement-debit.ts). Counts don't depend on the machine, so they are
// exact: a change that adds a round trip to a spend fails here, with the statements it sent.

async function userWithBalance(balanceMinor: number) {
  const user = await db().user.create({ data: { email: `usage-budget-${randomUUID()}@example.test` } });
  await db().$transaction((tx) =>
    credit(tx, { userId: user.id, currency: env().BILLFOLD_CURRENCY, amountMinor: balanceMinor, type: "ADJUSTMENT", idempotencyKey: `seed:${user.id}` }),
  );
  return { user, cookie: await sessionCookie(user) };
}

function spendRequest(cookie: string, amountMinor: number, key: string) {
  return new Request("http://localhost:3000/api/usage", {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ amountMinor, description: "Budget spend", idempotencyKey: key }),
  });
}

/** The route's answer and what it cost the database. */
async function counted(request: Request) {
  const { result, count } = await countStatements(async () => {
    const response = await callRoute(POST, request);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  });
  return { ...result, count };
}

/** Exact counts; on failure the message lists the statements sent. */
function expectCost(count: StatementCount, expected: { statements: number; commits: number }) {
  expect({ statements: count.statements, commits: count.commits }, `statements sent:\n${count.texts.join("\n")}`).toEqual(expected);
}

describe("POST /api/usage costs", () => {
  beforeAll(async () => {
    // The pools open their connections outside the counted requests.
    const { cookie } = await userWithBalance(100);
    expect((await callRoute(POST, spendRequest(cookie, 1, randomUUID()))).status).toBe(201);
  });

  it("a spend: 2 statements and 2 commits (the session's user, the debit)", async () => {
    const { cookie } = await userWithBalance(1000); // £10.00
    const spend = await counted(spendRequest(cookie, 300, randomUUID())); // £3.00
    expect(spend).toMatchObject({ status: 201, body: { balanceMinor: 700, replayed: false } });
    expectCost(spend.count, { statements: 2, commits: 2 });
  });

  it("a replay of the same key: the same 2 and 2", async () => {
    const { cookie } = await userWithBalance(1000);
    const key = randomUUID();
    expect((await callRoute(POST, spendRequest(cookie, 300, key))).status).toBe(201);
    const replay = await counted(spendRequest(cookie, 300, key));
    expect(replay).toMatchObject({ status: 200, body: { balanceMinor: 700, replayed: true } });
    expectCost(replay.count, { statements: 2, commits: 2 });
  });

  it("a refusal (insufficient funds): 2 and 2, and nothing written", async () => {
    const { cookie } = await userWithBalance(200);
    const refused = await counted(spendRequest(cookie, 300, randomUUID()));
    expect(refused).toMatchObject({ status: 402, body: { error: { code: "insufficient_funds" } } });
    expectCost(refused.count, { statements: 2, commits: 2 });
  });

  it("a revoked session is refused after its one read of the user", async () => {
    const { user, cookie } = await userWithBalance(1000);
    await db().user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } }); // "sign out of all devices"
    const refused = await counted(spendRequest(cookie, 300, randomUUID()));
    expect(refused).toMatchObject({ status: 401 });
    expectCost(refused.count, { statements: 1, commits: 1 });
  });
});
