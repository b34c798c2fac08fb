import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/core/db";
import { adjustmentKey, credit, debit, usageKey } from "@/lib/ledger";
import { parseCsv } from "@/test/csv-records";
import { callRoute, sessionCookie } from "@/test/next-request";
import { GET } from "./route";

// GET /api/admin/entries/export through its real handler and next-auth sessions: every download
// of users' data is an audit entry naming the admin, the filter and how many entries it held.

const admin = await db().user.create({ data: { email: `export-admin-${randomUUID()}@example.test`, role: "ADMIN", emailVerified: new Date() } });
const user = await db().user.create({ data: { email: `export-user-${randomUUID()}@example.test` } });
type Caller = { id: string; email: string; role: "USER" | "ADMIN" };

async function download(query: string, who: Caller) {
  const headers = new Headers({ cookie: await sessionCookie(who) });
  const response = await callRoute(GET, new Request(`http://localhost:3000/api/admin/entries/export?${query}`, { headers }));
  return { status: response.status, text: await response.text() };
}

const exportAudits = (adminId: string) => db().adminAuditEntry.findMany({ where: { action: "EXPORT", adminId }, orderBy: { createdAt: "asc" } });

describe("GET /api/admin/entries/export", () => {
  it("audits each download: who, the filter and how many entries", async () => {
    await db().$transaction(async (tx) => {
      await credit(tx, { userId: user.id, currency: "GBP", amountMinor: 1000, type: "ADJUSTMENT", idempotencyKey: adjustmentKey(randomUUID()) }); // £10.00
      await debit(tx, { userId: user.id, currency: "GBP", amountMinor: 250, type: "USAGE", idempotencyKey: usageKey(user.id, randomUUID()) }); // £2.50
    });
    const csv = await download(`email=${encodeURIComponent(user.email.toUpperCase())}`, admin);
    expect(csv.status).toBe(200);
    expect(parseCsv(csv.text).slice(1)).toHaveLength(2);

    const usageOnly = await download(`email=${encodeURIComponent(user.email)}&type=USAGE`, admin);
    expect(parseCsv(usageOnly.text).slice(1)).toHaveLength(1);

    const entries = await exportAudits(admin.id);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ adminEmail: admin.email, targetType: "export", targetId: "transactions", details: { filter: { email: user.email }, rowCount: 2 } });
    expect(entries[1]?.details).toEqual({ filter: { email: user.email, type: "USAGE" }, rowCount: 1 });
  });

  it("writes nothing when the download is refused", async () => {
    expect((await download("", { ...user, role: "USER" })).status).toBe(403);
    expect(await exportAudits(user.id)).toHaveLength(0);
    expect((await download("from=not-a-date", admin)).status).toBe(422);
    expect((await exportAudits(admin.id)).filter((entry) => JSON.stringify(entry.details).includes("not-a-date"))).toHaveLength(0);
  });
});
