import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { listAuditEntries, recordAdminAction } from "./audit";

const admin = () => ({ id: `admin-${randomUUID()}`, email: `admin-${randomUUID()}@example.test` });

describe("the admin audit log", () => {
  it("records who did what to which target, why, and with what outcome", async () => {
    const actor = admin();
    const entry = await recordAdminAction(db(), actor, {
      action: "ADJUSTMENT",
      targetType: "user",
      targetId: "user-1",
      reason: "Goodwill credit after an outage",
      details: { amountMinor: 250, currency: "GBP" },
    });
    const { entries } = await listAuditEntries({ adminEmail: actor.email });
    expect(entries).toEqual([expect.objectContaining({ id: entry.id, adminId: actor.id, action: "ADJUSTMENT", targetId: "user-1", reason: "Goodwill credit after an outage", details: { amountMinor: 250, currency: "GBP" } })]);
  });

  it("is append-only in the database: UPDATE, DELETE and TRUNCATE are refused", async () => {
    const entry = await recordAdminAction(db(), admin(), { action: "REPLAY", targetType: "webhook_event", targetId: "evt-1" });
    await expect(db().$executeRaw`UPDATE "AdminAuditEntry" SET "reason" = 'rewritten' WHERE "id" = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "AdminAuditEntry" WHERE "id" = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`TRUNCATE "AdminAuditEntry"`)).rejects.toThrow(/append-only/);
    expect(await db().adminAuditEntry.findUniqueOrThrow({ where: { id: entry.id } })).toMatchObject({ reason: null });
  });

  it("pages newest first by keyset, with no gap or repeat when entries share a timestamp", async () => {
    const actor = admin();
    const at = new Date("2026-01-01T00:00:00Z");
    await db().adminAuditEntry.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({ adminId: actor.id, adminEmail: actor.email, action: "BACKFILL" as const, targetType: "reconciliation", targetId: `range-${i}`, createdAt: i < 4 ? at : new Date(at.getTime() + i) })),
    });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listAuditEntries>> = await listAuditEntries({ adminEmail: actor.email }, { after, take: 3 });
      seen.push(...page.entries.map((entry) => entry.targetId));
      after = page.nextCursor;
    } while (after);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice(0, 3)).toEqual(["range-6", "range-5", "range-4"]);
  });

  it("has no code path in the app that updates or deletes an entry", () => {
    const offenders: string[] = [];
    for (const root of ["lib", "app", "components", "scripts"]) {
      for (const file of readdirSync(root, { recursive: true, encoding: "utf8" })) {
        if (!/\.(ts|tsx)$/.test(file) || file.endsWith(".test.ts") || file.includes("generated")) continue;
        const source = readFileSync(path.join(root, file), "utf8");
        if (/adminAuditEntry\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b/.test(source) || /(UPDATE|DELETE FROM|TRUNCATE)\s+"AdminAuditEntry"/.test(source)) {
          offenders.push(path.join(root, file));
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
