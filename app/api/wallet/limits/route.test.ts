import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callRoute, sessionCookie } from "@/test/next-request";
import { db } from "@/lib/core/db";
import { env } from "@/lib/core/env";
import { credit } from "@/lib/ledger";
import { spendCredits } from "@/lib/usage/spend";
import { GET, PUT } from "./route";

// GET and PUT /api/wallet/limits through the real handlers, session and database.

type User = { id: string; email: string };

async function send(handler: typeof PUT, method: "GET" | "PUT", user?: User, body?: unknown) {
  const headers = new Headers(user ? { cookie: await sessionCookie(user) } : {});
  if (body !== undefined) headers.set("content-type", "application/json");
  const response = await callRoute(handler, new Request("http://localhost:3000/api/wallet/limits", { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  return { status: response.status, body: await response.json() };
}

async function userWithBalance(balanceMinor: number): Promise<User> {
  const user = await db().user.create({ data: { email: `limits-route-${randomUUID()}@example.test` } });
  await db().$transaction((tx) =>
    credit(tx, { userId: user.id, currency: env().BILLFOLD_CURRENCY, amountMinor: balanceMinor, type: "ADJUSTMENT", idempotencyKey: `seed:${user.id}` }),
  );
  return user;
}

describe("/api/wallet/limits", () => {
  it("is 401 signed out", async () => {
    const unauthorized = { status: 401, body: { error: { code: "unauthorized", message: "Sign in to continue." } } };
    expect(await send(GET, "GET")).toEqual(unauthorized);
    expect(await send(PUT, "PUT", undefined, { spendLimitMinor: 100, lowBalanceThresholdMinor: null })).toEqual(unauthorized);
  });

  it("PUT sets both controls in minor units and answers with them and this month's usage; GET reads them back", async () => {
    const user = await userWithBalance(2000); // £20.00
    await spendCredits(user.id, { amountMinor: 250, description: "Before the limit", idempotencyKey: randomUUID() }); // £2.50
    const put = await send(PUT, "PUT", user, { spendLimitMinor: 1500, lowBalanceThresholdMinor: 500 }); // £15.00 a month; alert below £5.00
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      currency: env().BILLFOLD_CURRENCY,
      balanceMinor: 1750,
      availableMinor: 1750,
      reservedMinor: 0,
      spendLimitMinor: 1500,
      effectiveLimit: { limitMinor: 1500, setBy: "you" },
      spentThisMonthMinor: 250,
      resetsAt: expect.any(String),
      lowBalanceThresholdMinor: 500,
      lowBalanceAlertedAt: null,
    });
    expect(await send(GET, "GET", user)).toEqual(put);
    const off = await send(PUT, "PUT", user, { spendLimitMinor: null, lowBalanceThresholdMinor: null });
    expect(off.body).toMatchObject({ spendLimitMinor: null, lowBalanceThresholdMinor: null, effectiveLimit: { setBy: "plan" } });
  });

  it("PUT is 422 for anything but whole minor units or null, with both fields required", async () => {
    const user = await userWithBalance(100);
    for (const body of [
      { spendLimitMinor: 12.5, lowBalanceThresholdMinor: null },
      { spendLimitMinor: -1, lowBalanceThresholdMinor: null },
      { spendLimitMinor: null, lowBalanceThresholdMinor: 0 },
      { spendLimitMinor: "1500", lowBalanceThresholdMinor: null },
      { spendLimitMinor: 1500 },
    ]) {
      expect(await send(PUT, "PUT", user, body)).toMatchObject({ status: 422, body: { error: { code: "validation_error" } } });
    }
    const wallet = await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId: user.id, currency: env().BILLFOLD_CURRENCY } } });
    expect(wallet).toMatchObject({ spendLimitMinor: null, lowBalanceThresholdMinor: null });
  });
});
