import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "@/test/csv-records";
import { callRoute, sessionCookie } from "@/test/next-request";
import { db } from "@/lib/core/db";
import { env } from "@/lib/core/env";
import { credit, debit } from "@/lib/ledger";
import { seedDatabase } from "@/lib/tooling/seed";
import { GET } from "./route";

// GET /api/wallet/statement through its real handler, session and database: a Pro feature.

beforeAll(() => seedDatabase(db(), { force: true })); // the suite's throwaway database, which holds other tests' users

async function newUser() {
  return db().user.create({ data: { email: `statement-${randomUUID()}@example.test` } });
}

async function get(user?: { id: string; email: string }, query = "") {
  const headers = user ? { cookie: await sessionCookie(user) } : undefined;
  return callRoute(GET, new Request(`http://localhost/api/wallet/statement${query}`, { headers }));
}

/** A mirrored Stripe subscription row giving `planKey`, as the webhook handlers leave one. */
async function subscribeRow(userId: string, planKey: string, status: "active" | "past_due" | "canceled" = "active") {
  const now = Date.now();
  await db().subscription.create({
    data: {
      id: `sub_test_${randomUUID().replaceAll("-", "")}`,
      userId,
      stripeCustomerId: `cus_test_${randomUUID().replaceAll("-", "").slice(0, 14)}`,
      planKey,
      status,
      currentPeriodStart: new Date(now - 86_400_000),
      currentPeriodEnd: new Date(now + 29 * 86_400_000),
      stripeCreatedAt: new Date(now - 86_400_000),
    },
  });
}

describe("GET /api/wallet/statement", () => {
  it("is 401 signed out, and 403 plan_required on Free, naming the plans that include it", async () => {
    const anonymous = await get();
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });

    const free = await get(await newUser());
    expect(free.status).toBe(403);
    expect(await free.json()).toEqual({
      error: {
        code: "plan_required",
        message: "Download wallet statements (CSV) is included in the Pro and Team plans. Upgrade on the billing page.",
        feature: "statement_export",
        plans: ["Pro", "Team"],
      },
    });
  });

  it("is refused to a canceled subscription's user as on Free", async () => {
    const user = await newUser();
    await subscribeRow(user.id, "pro", "canceled");
    expect((await get(user)).status).toBe(403);
  });

  it("gives a Pro user every entry of their own wallet, newest first as on /wallet, in exact major units, with formulas defused", async () => {
    const user = await newUser();
    const other = await newUser();
    await subscribeRow(user.id, "pro");
    const currency = env().BILLFOLD_CURRENCY;
    const key = () => `statement-test:${randomUUID()}`;
    await db().$transaction((tx) => credit(tx, { userId: user.id, currency, amountMinor: 1000, type: "PLAN_GRANT", idempotencyKey: key(), description: "Pro plan credit", stripeObjectId: "in_statement_1" })); // £10.00
    await db().$transaction((tx) => debit(tx, { userId: user.id, currency, amountMinor: 5, type: "USAGE", idempotencyKey: key(), description: '=HYPERLINK("http://evil")' })); // 5p
    // A refund may overdraw the wallet: a negative balance is written with its sign.
    await db().$transaction((tx) => debit(tx, { userId: user.id, currency, amountMinor: 1250, type: "REFUND", idempotencyKey: key(), description: "Refund, 3 items", stripeObjectId: "re_statement_1" })); // £12.50
    await db().$transaction((tx) => credit(tx, { userId: other.id, currency, amountMinor: 700, type: "TOPUP", idempotencyKey: key(), description: "Someone else's top-up" })); // £7.00

    const response = await get(user);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="billfold-statement-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("Date (UTC),Type,Description,Amount,Balance after,Currency,Reference");
    expect(lines.slice(1).map((line) => line.replace(/^[^,]+,/, ""))).toEqual([
      'Refund,"Refund, 3 items",-12.50,-2.55,GBP,re_statement_1',
      `Usage,"'=HYPERLINK(""http://evil"")",-0.05,9.95,GBP,`,
      "Plan credit,Pro plan credit,10.00,10.00,GBP,in_statement_1",
      "",
    ]);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,/);
  });

  it("selects with /wallet's filter (type, and whole UTC days with both ends included), and refuses a filter it cannot read", async () => {
    const user = await newUser();
    await subscribeRow(user.id, "team");
    const currency = env().BILLFOLD_CURRENCY;
    const entry = async (type: "TOPUP" | "USAGE", amountMinor: number, at: string) => {
      const options = { userId: user.id, currency, amountMinor, idempotencyKey: `statement-test:${randomUUID()}` };
      const { entry: written } = await db().$transaction((tx) => (type === "TOPUP" ? credit(tx, { ...options, type }) : debit(tx, { ...options, type })));
      await db().ledgerEntry.update({ where: { id: written.id }, data: { createdAt: new Date(at) } });
    };
    await entry("TOPUP", 2000, "2031-05-01T09:00:00.000Z"); // £20.00
    await entry("USAGE", 50, "2031-05-01T23:59:59.999Z"); // 50p
    await entry("USAGE", 75, "2031-05-02T00:00:00.000Z"); // 75p
    await entry("USAGE", 25, "2031-05-03T12:00:00.000Z"); // 25p

    const rowsOf = async (query: string) => {
      const response = await get(user, query);
      expect(response.status, query).toBe(200);
      return parseCsv(await response.text()).slice(1).map(([date, type, , amount]) => [date, type, amount]);
    };
    expect(await rowsOf("?type=USAGE&from=2031-05-01&to=2031-05-02")).toEqual([
      ["2031-05-02T00:00:00.000Z", "Usage", "-0.75"],
      ["2031-05-01T23:59:59.999Z", "Usage", "-0.50"],
    ]);
    expect(await rowsOf("?from=2031-05-03")).toEqual([["2031-05-03T12:00:00.000Z", "Usage", "-0.25"]]);
    expect(await rowsOf("?type=TOPUP&to=2031-05-01")).toEqual([["2031-05-01T09:00:00.000Z", "Top-up", "20.00"]]);
    expect(await rowsOf("?type=REFUND")).toEqual([]);

    for (const [query, field] of [["?type=FREE_MONEY", "type"], ["?from=2031-05-03&to=2031-05-01", "to"], ["?to=1%20May", "to"]] as const) {
      const refused = await get(user, query);
      expect(refused.status, query).toBe(422);
      const body = await refused.json();
      expect(body.error.code).toBe("validation_error");
      expect(Object.keys(body.error.fields ?? {}), query).toEqual([field]);
    }
  });

  it("gives a Pro user with no wallet yet just the header", async () => {
    const user = await newUser();
    await subscribeRow(user.id, "team");
    const response = await get(user);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("Date (UTC),Type,Description,Amount,Balance after,Currency,Reference\r\n");
  });
});
