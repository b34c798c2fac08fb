import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { InsufficientFundsError, ValidationError } from "../core/errors";
import { walletState } from "@/test/webhook-events";
import { adjustWallet, MAX_ADJUSTMENT_MINOR, parseAdjustmentAmount } from "./adjustments";

async function newUser() {
  return db().user.create({ data: { email: `adjust-${randomUUID()}@example.test` } });
}

async function newAdmin() {
  const admin = await db().user.create({ data: { email: `admin-${randomUUID()}@example.test`, role: "ADMIN", emailVerified: new Date() } });
  return { id: admin.id, email: admin.email };
}

function auditRowsFor(userId: string) {
  return db().adminAuditEntry.findMany({ where: { targetType: "user", targetId: userId } });
}

describe("parseAdjustmentAmount", () => {
  it("converts major units exactly and refuses what is not an amount of this currency", () => {
    expect(parseAdjustmentAmount("12.50", "GBP")).toBe(1250); // £12.50
    expect(parseAdjustmentAmount("0.07", "GBP")).toBe(7); // £0.07
    expect(parseAdjustmentAmount("500", "JPY")).toBe(500); // ¥500
    expect(parseAdjustmentAmount("£12,50", "GBP")).toBe(1250); // pasted: £12.50
    for (const bad of ["12.505", "0", "0.00", "-5", "abc", "", "1e3"]) expect(() => parseAdjustmentAmount(bad, "GBP"), bad).toThrow(ValidationError);
    expect(() => parseAdjustmentAmount("$12", "GBP")).toThrow("Type the amount in digits, like 20.50.");
    expect(() => parseAdjustmentAmount("1.5", "JPY")).toThrow(ValidationError);
    expect(() => parseAdjustmentAmount(String(MAX_ADJUSTMENT_MINOR / 100 + 1), "GBP")).toThrow(/too large/);
  });
});

describe("adjustWallet", () => {
  it("credits once per request key, names the admin on the entry and audits it once", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    const input = { userId: user.id, currency: "GBP", direction: "credit" as const, amountMinor: 1250, reason: "  Goodwill for the outage  ", requestKey: randomUUID() };

    const first = await adjustWallet(admin, input);
    const again = await adjustWallet(admin, input);

    expect(first.applied).toBe(true);
    expect(again.applied).toBe(false);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.balanceMinor).toBe(1250); // £12.50
    const state = await walletState(user.id);
    expect(state.balanceMinor).toBe(1250);
    expect(state.entries).toHaveLength(1);
    expect(state.entries[0]).toMatchObject({ type: "ADJUSTMENT", amountMinor: 1250, description: "Goodwill for the outage", createdByAdminId: admin.id });

    const audit = await auditRowsFor(user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "ADJUSTMENT", adminId: admin.id, adminEmail: admin.email, reason: "Goodwill for the outage" });
    expect(audit[0]?.details).toEqual({ entryId: first.entry.id, amountMinor: 1250, currency: "GBP", balanceAfterMinor: 1250 });
  });

  it("makes a new adjustment for a new form, and records a debit with its negative amount", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    await adjustWallet(admin, { userId: user.id, currency: "GBP", direction: "credit", amountMinor: 1000, reason: "Opening credit", requestKey: randomUUID() }); // £10.00
    const debited = await adjustWallet(admin, { userId: user.id, currency: "GBP", direction: "debit", amountMinor: 400, reason: "Duplicate credit", requestKey: randomUUID() }); // £4.00
    expect(debited.balanceMinor).toBe(600); // £6.00
    const audit = await auditRowsFor(user.id);
    expect(audit.map((row) => (row.details as { amountMinor: number }).amountMinor).sort((a, b) => a - b)).toEqual([-400, 1000]);
  });

  it("refuses a debit that would overdraw and writes nothing", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    await adjustWallet(admin, { userId: user.id, currency: "GBP", direction: "credit", amountMinor: 500, reason: "Opening credit", requestKey: randomUUID() }); // £5.00
    await expect(
      adjustWallet(admin, { userId: user.id, currency: "GBP", direction: "debit", amountMinor: 501, reason: "Too much", requestKey: randomUUID() }), // £5.01
    ).rejects.toBeInstanceOf(InsufficientFundsError);
    const state = await walletState(user.id);
    expect(state.balanceMinor).toBe(500);
    expect(state.entries).toHaveLength(1);
    expect(await auditRowsFor(user.id)).toHaveLength(1);
  });

  it("applies a double submit (concurrent, same key) once", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    const input = { userId: user.id, currency: "GBP", direction: "credit" as const, amountMinor: 300, reason: "Double click", requestKey: randomUUID() };
    const results = await Promise.all([adjustWallet(admin, input), adjustWallet(admin, input)]);
    expect(results.filter((result) => result.applied)).toHaveLength(1);
    expect((await walletState(user.id)).balanceMinor).toBe(300); // £3.00
    expect(await auditRowsFor(user.id)).toHaveLength(1);
  });

  it("refuses a reason that is too short, before writing anything", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    await expect(adjustWallet(admin, { userId: user.id, currency: "GBP", direction: "credit", amountMinor: 100, reason: " x ", requestKey: randomUUID() })).rejects.toBeInstanceOf(ValidationError);
    expect((await walletState(user.id)).entries).toHaveLength(0);
  });

  it("refuses a currency the user has no wallet in (other than the app's), and opens no wallet", async () => {
    const [user, admin] = await Promise.all([newUser(), newAdmin()]);
    await expect(adjustWallet(admin, { userId: user.id, currency: "ZZZ", direction: "credit", amountMinor: 100, reason: "Typo in the currency", requestKey: randomUUID() })).rejects.toThrow(/no ZZZ wallet/);
    expect(await db().wallet.count({ where: { userId: user.id } })).toBe(0);
    expect(await auditRowsFor(user.id)).toHaveLength(0);
  });
});
