import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { AppError, ConflictError, ValidationError } from "../core/errors";
import { credit, debit, expireGrant, usageKey } from "../ledger";
import { walletState } from "@/test/webhook-events";
import { endOfUtcDay, issuePromotionalGrant, voidPromotionalGrant } from "./grants";

// Promotional grants from the console against real Postgres: once per form, audited in the same
// transaction, and void as distinct from expire.

async function newUser() {
  return db().user.create({ data: { email: `grant-${randomUUID()}@example.test` } });
}

async function newAdmin() {
  const admin = await db().user.create({ data: { email: `grant-admin-${randomUUID()}@example.test`, role: "ADMIN", emailVerified: new Date() } });
  return { id: admin.id, email: admin.email };
}

function auditRows(userId: string, action: "GRANT" | "VOID") {
  return db().adminAuditEntry.findMany({ where: { action, targetType: "user", targetId: userId } });
}

const spend = (userId: string, amountMinor: number) =>
  db().$transaction((tx) => debit(tx, { userId, currency: "GBP", amountMinor, type: "USAGE", idempotencyKey: usageKey(userId, randomUUID()) }));

const inTenDays = () => new Date(Date.now() + 10 * 86_400_000);

describe("endOfUtcDay", () => {
  it("is the last millisecond of the day in UTC, and refuses what is not a calendar date", () => {
    expect(endOfUtcDay("2026-12-31").toISOString()).toBe("2026-12-31T23:59:59.999Z");
    for (const bad of ["2026-02-30", "2026-13-01", "31/12/2026", "2026-1-1", ""]) expect(() => endOfUtcDay(bad), bad).toThrow(ValidationError);
  });
});

describe("issuePromotionalGrant", () => {
  it("grants once per request key with its expiry and priority, names the admin and audits once", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    const expiresAt = endOfUtcDay(inTenDays().toISOString().slice(0, 10));
    const input = { userId: user.id, currency: "GBP", amountMinor: 750, expiresAt, priority: 5, reason: "  Sorry for the outage  ", requestKey: randomUUID() }; // £7.50

    const [first, second] = await Promise.all([issuePromotionalGrant(admin, input), issuePromotionalGrant(admin, input)]); // a double submit
    expect([first.applied, second.applied].sort()).toEqual([false, true]);
    expect(second.grant.id).toBe(first.grant.id);
    expect(first.grant).toMatchObject({ source: "promotional", category: "promotional", amountMinor: 750, remainingMinor: 750, priority: 5, expiresAt });
    expect(first.entry).toMatchObject({ type: "PROMOTIONAL", amountMinor: 750, description: "Sorry for the outage", createdByAdminId: admin.id, idempotencyKey: `promotional:${input.requestKey}` });
    expect((await walletState(user.id)).balanceMinor).toBe(750);

    const audit = await auditRows(user.id, "GRANT");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ adminId: admin.id, reason: "Sorry for the outage" });
    expect(audit[0]?.details).toMatchObject({ grantId: first.grant.id, amountMinor: 750, currency: "GBP", expiresAt: expiresAt.toISOString(), priority: 5 });
  });

  it("defaults to never expiring at the promotional priority, and refuses a past expiry, a bad priority and a reused key", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    const base = { userId: user.id, currency: "GBP", amountMinor: 500, expiresAt: null, reason: "Welcome credit", requestKey: randomUUID() }; // £5.00
    const { grant } = await issuePromotionalGrant(admin, base);
    expect(grant).toMatchObject({ expiresAt: null, priority: 10 });

    await expect(issuePromotionalGrant(admin, { ...base, requestKey: randomUUID(), expiresAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({ details: { field: "expiresOn" } });
    await expect(issuePromotionalGrant(admin, { ...base, requestKey: randomUUID(), priority: 101 })).rejects.toMatchObject({ details: { field: "priority" } });
    await expect(issuePromotionalGrant(admin, { ...base, requestKey: randomUUID(), reason: "x" })).rejects.toBeInstanceOf(ValidationError);
    await expect(issuePromotionalGrant(admin, { ...base, requestKey: randomUUID(), currency: "USD" })).rejects.toMatchObject({ details: { field: "currency" } });
    await expect(issuePromotionalGrant(admin, { ...base, amountMinor: 900 })).rejects.toMatchObject({ code: "grant_key_reused" });
    expect((await walletState(user.id)).balanceMinor).toBe(500);
    expect(await auditRows(user.id, "GRANT")).toHaveLength(1);
  });
});

describe("voidPromotionalGrant", () => {
  it("takes what is left (not what was spent) out as a VOID entry with the reason, audited once; a second void is refused", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    const { grant } = await issuePromotionalGrant(admin, { userId: user.id, currency: "GBP", amountMinor: 1000, expiresAt: inTenDays(), reason: "Launch promo", requestKey: randomUUID() }); // £10.00
    await spend(user.id, 300); // £3.00 drawn from it

    const result = await voidPromotionalGrant(admin, { grantId: grant.id, reason: "Promo abused" });
    expect(result).toMatchObject({ userId: user.id, currency: "GBP", voidedMinor: 700, balanceMinor: 0 }); // £7.00 left, voided
    expect(result.grant).toMatchObject({ remainingMinor: 0, voidReason: "Promo abused", expiredAt: null });
    const voids = (await walletState(user.id)).entries.filter((entry) => entry.type === "VOID");
    expect(voids).toEqual([expect.objectContaining({ amountMinor: -700, description: "Credit voided: Promo abused", createdByAdminId: admin.id })]);

    await expect(voidPromotionalGrant(admin, { grantId: grant.id, reason: "Promo abused" })).rejects.toMatchObject({ code: "grant_already_voided", status: 409 });
    const audit = await auditRows(user.id, "VOID");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ reason: "Promo abused" });
    expect(audit[0]?.details).toMatchObject({ grantId: grant.id, amountMinor: 700, currency: "GBP", balanceAfterMinor: 0 });

    // An expiry after the void finds nothing to do.
    const expiry = await db().$transaction((tx) => expireGrant(tx, grant.id, new Date(Date.now() + 20 * 86_400_000)));
    expect(expiry).toMatchObject({ expiredMinor: 0, entry: null });
  });

  it("refuses paid credit (it is refunded, never voided) and expired credit, and audits nothing", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    const topUp = await db().$transaction((tx) => credit(tx, { userId: user.id, currency: "GBP", amountMinor: 500, type: "TOPUP", idempotencyKey: `topup:cs_test_${randomUUID()}` })); // £5.00
    const paid = await db().creditGrant.findUniqueOrThrow({ where: { entryId: topUp.entry.id } });
    const refusal = await voidPromotionalGrant(admin, { grantId: paid.id, reason: "Try it" }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConflictError);
    expect(refusal).toMatchObject({ code: "grant_not_promotional", status: 409 });

    const { grant } = await issuePromotionalGrant(admin, { userId: user.id, currency: "GBP", amountMinor: 200, expiresAt: inTenDays(), reason: "Short promo", requestKey: randomUUID() }); // £2.00
    await db().$transaction((tx) => expireGrant(tx, grant.id, new Date(Date.now() + 11 * 86_400_000)));
    await expect(voidPromotionalGrant(admin, { grantId: grant.id, reason: "Too late" })).rejects.toMatchObject({ code: "grant_expired" });
    await expect(voidPromotionalGrant(admin, { grantId: "no-such-grant", reason: "Missing" })).rejects.toMatchObject({ status: 404 });

    expect(await auditRows(user.id, "VOID")).toHaveLength(0);
    expect((await walletState(user.id)).balanceMinor).toBe(500);
    expect(refusal).toBeInstanceOf(AppError);
  });
});
