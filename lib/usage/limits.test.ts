import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { InsufficientFundsError, SpendLimitError } from "../core/errors";
import { emailWorkerIdle } from "../email";
import { credit } from "../ledger";
import { alertAfterThresholdChange } from "../ledger/limits";
import { getSpendingControls, updateSpendingControls } from "./limits";
import { commitUserReservation, createReservation, releaseUserReservation } from "./reservations";
import { spendCredits } from "./spend";

// The user's own spending controls against real Postgres: a monthly spend limit below the plan's
// (402 spend_limit_reached, set by "you"), which racing spends and open reservations never get past, and the
// low-balance alert, which shows a banner per downward crossing and re-arms when the balance recovers,
// and emails a verified address at most once a day. Users here are on Free (no subscription), whose
// plan limit is £100.00 a month.

const DAY_MS = 24 * 60 * 60 * 1000;

async function newUser(balanceMinor: number, { verified = true }: { verified?: boolean } = {}) {
  const user = await db().user.create({ data: { email: `limits-${randomUUID()}@example.test`, emailVerified: verified ? new Date() : null } });
  if (balanceMinor > 0) await topUp(user.id, balanceMinor);
  return user;
}

function topUp(userId: string, amountMinor: number, now?: Date) {
  return db().$transaction((tx) => credit(tx, { userId, currency: "GBP", amountMinor, type: "ADJUSTMENT", idempotencyKey: `topup:${randomUUID()}`, now }));
}

const spend = (userId: string, amountMinor: number) => spendCredits(userId, { amountMinor, description: "Test spend", idempotencyKey: randomUUID() });
const setControls = (userId: string, spendLimitMinor: number | null, lowBalanceThresholdMinor: number | null) =>
  updateSpendingControls(userId, "GBP", { spendLimitMinor, lowBalanceThresholdMinor });
const lowBalanceEmails = (userId: string) => db().emailOutbox.findMany({ where: { userId, kind: "low_balance" }, orderBy: { createdAt: "asc" } });
const walletOf = (userId: string) => db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } });

describe("the user's monthly spend limit", () => {
  it("refuses a spend past it with 402 spend_limit_reached set by you, apart from insufficient funds", async () => {
    const user = await newUser(10_000); // £100.00
    const controls = await setControls(user.id, 500, null); // £5.00 of my own, under Free's £100.00
    expect(controls).toMatchObject({ spendLimitMinor: 500, plan: { name: "Free", spendLimitMinor: 10_000 }, effectiveLimit: { limitMinor: 500, setBy: "you" } });
    await spend(user.id, 400); // £4.00
    const refused = spend(user.id, 101); // £1.01 would make £5.01
    await expect(refused).rejects.toBeInstanceOf(SpendLimitError);
    await expect(refused).rejects.toMatchObject({ status: 402, code: "spend_limit_reached", details: { setBy: "you", limitMinor: 500, spentMinor: 400, currency: "GBP" } });
    await expect(spend(user.id, 100)).resolves.toMatchObject({ balanceMinor: 9500 }); // exactly to the limit
    expect(await getSpendingControls(user.id, "GBP")).toMatchObject({ spentThisMonthMinor: 500, availableMinor: 9500 });

    // With a wallet too low to pay, the same spend is insufficient_funds: the two never mix.
    const poor = await newUser(300); // £3.00
    await setControls(poor.id, 500, null);
    await expect(spend(poor.id, 400)).rejects.toBeInstanceOf(InsufficientFundsError);
  });

  it("a plan limit lower than the user's own applies, and says it is the plan's", async () => {
    const user = await newUser(20_000); // £200.00
    const controls = await setControls(user.id, 15_000, null); // £150.00: above Free's £100.00
    expect(controls.effectiveLimit).toEqual({ limitMinor: 10_000, setBy: "plan" });
    await spend(user.id, 10_000);
    await expect(spend(user.id, 1)).rejects.toMatchObject({ code: "spend_limit_reached", details: { setBy: "plan", limitMinor: 10_000 } });
    await setControls(user.id, null, null);
    expect((await getSpendingControls(user.id, "GBP")).effectiveLimit).toEqual({ limitMinor: 10_000, setBy: "plan" });
  });

  it("racing spends never pass it together", async () => {
    const user = await newUser(10_000);
    await setControls(user.id, 700, null); // £7.00
    const results = await Promise.allSettled(Array.from({ length: 24 }, () => spend(user.id, 100))); // £1.00 each
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(7);
    for (const result of results) if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "spend_limit_reached", details: { setBy: "you" } });
    expect(await walletOf(user.id)).toMatchObject({ balanceMinor: 9300, usageInPeriodMinor: 700 });
  });

  it("open reservations count against it, and their commit spends their own share", async () => {
    const user = await newUser(10_000);
    await setControls(user.id, 500, null); // £5.00
    const { reservation } = await createReservation(user.id, { amountMinor: 300, ttlSeconds: 600, idempotencyKey: randomUUID() }); // £3.00 held
    await expect(spend(user.id, 201)).rejects.toMatchObject({ code: "spend_limit_reached", details: { spentMinor: 300, setBy: "you" } });
    await expect(createReservation(user.id, { amountMinor: 201, ttlSeconds: 600, idempotencyKey: randomUUID() })).rejects.toMatchObject({
      status: 402,
      code: "spend_limit_reached",
    });
    await spend(user.id, 200); // to the limit with the reservation
    await expect(commitUserReservation(user.id, reservation.id, { amountMinor: 300 })).resolves.toMatchObject({ reservation: { status: "committed" } });
    expect(await walletOf(user.id)).toMatchObject({ balanceMinor: 9500, reservedMinor: 0, usageInPeriodMinor: 500 });
  });

  it("refuses amounts the database would not hold, before touching the wallet", async () => {
    const user = await newUser(0);
    await expect(setControls(user.id, -1, null)).rejects.toMatchObject({ status: 422, details: { field: "spendLimitMinor" } });
    await expect(setControls(user.id, null, 0)).rejects.toMatchObject({ status: 422, details: { field: "lowBalanceThresholdMinor" } });
    await expect(setControls(user.id, 0, null)).resolves.toMatchObject({ spendLimitMinor: 0 }); // 0 pauses spending
  });
});

describe("the low-balance alert", () => {
  it("crossing down emails once and shows the banner; more debits below stay quiet; a top-up re-arms it; the next crossing shows it again", async () => {
    const user = await newUser(1000); // £10.00
    await setControls(user.id, null, 500); // alert below £5.00
    await spend(user.id, 300); // £7.00 left: above the threshold
    expect(await lowBalanceEmails(user.id)).toHaveLength(0);
    await spend(user.id, 300); // £4.00: crossed
    const [first, ...others] = await lowBalanceEmails(user.id);
    expect(others).toHaveLength(0);
    expect(first?.payload).toEqual({ thresholdMinor: 500, availableMinor: 400, currency: "GBP" });
    await emailWorkerIdle(); // the spend woke the email worker
    expect((await lowBalanceEmails(user.id))[0]?.sentAt).toBeInstanceOf(Date); // sent right after the spend, not left for the cron sweep
    expect((await getSpendingControls(user.id, "GBP")).lowBalanceAlertedAt).toBeInstanceOf(Date);

    await spend(user.id, 100); // £3.00
    await spend(user.id, 100); // £2.00
    expect(await lowBalanceEmails(user.id)).toHaveLength(1);

    await topUp(user.id, 400); // £6.00: back above, re-armed
    expect((await getSpendingControls(user.id, "GBP")).lowBalanceAlertedAt).toBeNull();
    await spend(user.id, 200); // £4.00: crossed again, the same day: the banner, no second email
    expect((await getSpendingControls(user.id, "GBP")).lowBalanceAlertedAt).toBeInstanceOf(Date);
    expect(await lowBalanceEmails(user.id)).toHaveLength(1);
  });

  it("a reserve/release cycle crossing the threshold again and again queues one email a day", async () => {
    const user = await newUser(1000); // £10.00
    await setControls(user.id, null, 500); // alert below £5.00
    const start = new Date(Date.now() - 2 * DAY_MS);
    const cycle = async (now: Date) => {
      const { reservation } = await createReservation(user.id, { amountMinor: 700, ttlSeconds: 600, idempotencyKey: randomUUID() }, now); // £3.00 available: crossed
      expect((await walletOf(user.id)).lowBalanceAlertedAt).toEqual(now);
      await releaseUserReservation(user.id, reservation.id, now); // £10.00 again: re-armed
      expect((await walletOf(user.id)).lowBalanceAlertedAt).toBeNull();
    };
    for (let minute = 0; minute < 10; minute += 1) await cycle(new Date(start.getTime() + minute * 60_000));
    await cycle(new Date(start.getTime() + DAY_MS - 60_000)); // still within the day of the first email
    expect(await lowBalanceEmails(user.id)).toHaveLength(1);
    await cycle(new Date(start.getTime() + DAY_MS)); // a day after it
    await cycle(new Date(start.getTime() + DAY_MS + 60_000));
    expect(await lowBalanceEmails(user.id)).toHaveLength(2);
  });

  it("emails only a verified address: an unverified user's wallet shows the banner and queues nothing", async () => {
    const user = await newUser(1000, { verified: false }); // £10.00
    await setControls(user.id, null, 500);
    await spend(user.id, 600); // £4.00: crossed
    const { reservation } = await createReservation(user.id, { amountMinor: 300, ttlSeconds: 600, idempotencyKey: randomUUID() }); // £1.00
    await releaseUserReservation(user.id, reservation.id);
    expect((await getSpendingControls(user.id, "GBP")).lowBalanceAlertedAt).toBeInstanceOf(Date);
    expect(await lowBalanceEmails(user.id)).toHaveLength(0);
    // Verified later, the next crossing emails.
    await db().user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
    await topUp(user.id, 200); // £6.00: re-armed
    await spend(user.id, 200); // £4.00: crossed
    expect(await lowBalanceEmails(user.id)).toHaveLength(1);
  });

  it("a reservation crossing it alerts like a debit, and its release re-arms it", async () => {
    const user = await newUser(1000);
    await setControls(user.id, null, 500);
    const { reservation } = await createReservation(user.id, { amountMinor: 700, ttlSeconds: 600, idempotencyKey: randomUUID() }); // £3.00 available
    expect(await lowBalanceEmails(user.id)).toHaveLength(1);
    await commitUserReservation(user.id, reservation.id, { amountMinor: 0 }); // nothing used: £10.00 available again
    expect((await getSpendingControls(user.id, "GBP")).lowBalanceAlertedAt).toBeNull();
  });

  it("setting a threshold never emails: above what is available it shows the banner, at or below it arms the alert, off clears it", async () => {
    const user = await newUser(300); // £3.00
    const above = await setControls(user.id, null, 500); // £5.00 > £3.00
    expect(above.lowBalanceAlertedAt).toBeInstanceOf(Date);
    expect(await lowBalanceEmails(user.id)).toHaveLength(0);
    await spend(user.id, 100); // further below: still no email
    expect(await lowBalanceEmails(user.id)).toHaveLength(0);

    const armed = await setControls(user.id, null, 100); // £1.00 ≤ £2.00
    expect(armed.lowBalanceAlertedAt).toBeNull();
    await spend(user.id, 150); // £0.50: crossed
    expect(await lowBalanceEmails(user.id)).toHaveLength(1);

    expect((await setControls(user.id, null, null)).lowBalanceAlertedAt).toBeNull();
    expect(await lowBalanceEmails(user.id)).toHaveLength(1);
  });

  it("alertAfterThresholdChange keeps the state when the threshold is unchanged", () => {
    const alertedAt = new Date("2026-11-01T00:00:00Z");
    const now = new Date("2026-11-24T00:00:00Z");
    const wallet = { balanceMinor: 300, reservedMinor: 100, lowBalanceThresholdMinor: 500, lowBalanceAlertedAt: alertedAt };
    expect(alertAfterThresholdChange(wallet, 500, now)).toBe(alertedAt);
    expect(alertAfterThresholdChange({ ...wallet, lowBalanceAlertedAt: null }, 500, now)).toBeNull();
    expect(alertAfterThresholdChange(wallet, 201, now)).toBe(alertedAt); // still above £2.00 available: the first alert's time stays
    expect(alertAfterThresholdChange({ ...wallet, lowBalanceAlertedAt: null }, 201, now)).toBe(now);
    expect(alertAfterThresholdChange(wallet, 200, now)).toBeNull(); // at what is available: armed
    expect(alertAfterThresholdChange(wallet, null, now)).toBeNull();
  });
});
