import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runCreditSweep } from "./credit-sweep";
import { db } from "../core/db";
import { InsufficientFundsError } from "../core/errors";
import { credit } from "../ledger";
import { findLedgerViolations } from "../ledger/invariants";
import { commitUserReservation, createReservation, getUserReservation, releaseUserReservation } from "./reservations";

// Reserve, then commit, through the functions the API calls, against real Postgres: reservations taken
// concurrently never exceed what is available, and commit/release/expiry leave the balance exact.

const MINUTE = 60_000;

async function userWithBalance(balanceMinor: number) {
  const user = await db().user.create({ data: { email: `reservations-${randomUUID()}@example.test` } });
  await db().$transaction((tx) =>
    credit(tx, { userId: user.id, currency: "GBP", amountMinor: balanceMinor, type: "ADJUSTMENT", idempotencyKey: `seed:${user.id}` }),
  );
  return user;
}

const walletOf = (userId: string) => db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } });
const reserveFor = (userId: string, amountMinor: number, key: string = randomUUID(), ttlSeconds = 600) => createReservation(userId, { amountMinor, ttlSeconds, idempotencyKey: key });

async function walletViolations(walletId: string) {
  return (await findLedgerViolations()).violations.filter((violation) => violation.walletId === walletId);
}

describe("50 concurrent reservations against a balance that covers 20", () => {
  it("grants exactly 20; commit, release and expiry leave the balance exactly the committed amounts less", async () => {
    const user = await userWithBalance(2000); // £20.00: twenty reservations of £1.00
    const attempts = await Promise.allSettled(Array.from({ length: 50 }, (_, index) => reserveFor(user.id, 100, `job-${index}`)));
    const held = attempts.flatMap((attempt) => (attempt.status === "fulfilled" ? [attempt.value.reservation] : []));
    const refused = attempts.flatMap((attempt) => (attempt.status === "rejected" ? [attempt.reason] : []));
    expect(held).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const reason of refused) expect(reason).toBeInstanceOf(InsufficientFundsError);
    expect(await walletOf(user.id)).toMatchObject({ balanceMinor: 2000, reservedMinor: 2000 }); // nothing moved yet, all of it held
    expect(Math.min(...held.map((reservation) => reservation.availableMinor))).toBe(0);

    // 8 jobs commit less than they held, 6 release, 6 are left to expire.
    const committing = held.slice(0, 8);
    const commitAmounts = [100, 75, 60, 50, 40, 25, 1, 0]; // £1.00 … £0.00: what each job used
    const committed = await Promise.all(committing.map((reservation, index) => commitUserReservation(user.id, reservation.id, { amountMinor: commitAmounts[index] ?? 0 })));
    for (const [index, result] of committed.entries()) expect(result.reservation).toMatchObject({ status: "committed", committedMinor: commitAmounts[index] });
    const released = await Promise.all(held.slice(8, 14).map((reservation) => releaseUserReservation(user.id, reservation.id)));
    for (const result of released) expect(result.reservation.status).toBe("released");
    const committedTotal = commitAmounts.reduce((sum, amount) => sum + amount, 0); // 351: £3.51
    expect(await walletOf(user.id)).toMatchObject({ balanceMinor: 2000 - committedTotal, reservedMinor: 600 });

    // The last 6 pass their TTL: the sweep releases them, once however often it runs.
    const later = new Date(Date.now() + 11 * MINUTE);
    expect((await runCreditSweep({ now: later })).reservationsExpired).toBeGreaterThanOrEqual(6);
    await runCreditSweep({ now: later });
    for (const reservation of held.slice(14)) expect((await getUserReservation(user.id, reservation.id)).status).toBe("expired");
    const wallet = await walletOf(user.id);
    expect(wallet).toMatchObject({ balanceMinor: 2000 - committedTotal, reservedMinor: 0 }); // £16.49
    const usage = await db().ledgerEntry.findMany({ where: { walletId: wallet.id, type: "USAGE" } });
    expect(usage.map((entry) => -entry.amountMinor).sort((a, b) => a - b)).toEqual(commitAmounts.filter((amount) => amount > 0).sort((a, b) => a - b));
    expect(await db().reservation.count({ where: { walletId: wallet.id, status: "expired" } })).toBe(6);
    expect(await walletViolations(wallet.id)).toEqual([]);
  });
});

describe("commit and release rules", () => {
  it("a commit replays with the same amount, conflicts with another, and never takes more than the reservation", async () => {
    const user = await userWithBalance(1000); // £10.00
    const { reservation } = await reserveFor(user.id, 400); // £4.00
    await expect(commitUserReservation(user.id, reservation.id, { amountMinor: 401 })).rejects.toMatchObject({ status: 422, code: "validation_error", message: "You can commit at most the £4.00 held.", details: { heldMinor: 400 } });
    const first = await commitUserReservation(user.id, reservation.id, { amountMinor: 250 }); // £2.50 used
    expect(first).toMatchObject({ replayed: false, reservation: { status: "committed", committedMinor: 250, availableMinor: 750 } });
    const again = await commitUserReservation(user.id, reservation.id, { amountMinor: 250 });
    expect(again).toEqual({ ...first, replayed: true });
    await expect(commitUserReservation(user.id, reservation.id, { amountMinor: 300 })).rejects.toMatchObject({ status: 409, code: "reservation_committed" });
    await expect(releaseUserReservation(user.id, reservation.id)).rejects.toMatchObject({ status: 409, code: "reservation_committed" });
    expect(await walletOf(user.id)).toMatchObject({ balanceMinor: 750, reservedMinor: 0 });
    expect(await db().ledgerEntry.count({ where: { idempotencyKey: `reservation_commit:${reservation.id}` } })).toBe(1);
  });

  it("a reservation past its TTL can't be committed, before or after the sweep, and its money is available again", async () => {
    const user = await userWithBalance(1000);
    const { reservation } = await reserveFor(user.id, 600, randomUUID(), 10); // £6.00 for 10 seconds
    const lapsed = new Date(Date.now() + 11_000);
    await expect(commitUserReservation(user.id, reservation.id, { amountMinor: 100 }, lapsed)).rejects.toMatchObject({ status: 409, code: "reservation_expired" });
    expect((await getUserReservation(user.id, reservation.id, lapsed)).status).toBe("expired");
    await runCreditSweep({ now: lapsed });
    await expect(commitUserReservation(user.id, reservation.id, { amountMinor: 100 }, lapsed)).rejects.toMatchObject({ status: 409, code: "reservation_expired" });
    await expect(releaseUserReservation(user.id, reservation.id, lapsed)).rejects.toMatchObject({ status: 409, code: "reservation_expired" });
    expect(await walletOf(user.id)).toMatchObject({ balanceMinor: 1000, reservedMinor: 0 });
  });

  it("another user's reservation is not found, for reading, committing and releasing", async () => {
    const owner = await userWithBalance(500);
    const stranger = await userWithBalance(500);
    const { reservation } = await reserveFor(owner.id, 200);
    await expect(getUserReservation(stranger.id, reservation.id)).rejects.toMatchObject({ status: 404 });
    await expect(commitUserReservation(stranger.id, reservation.id, { amountMinor: 100 })).rejects.toMatchObject({ status: 404 });
    await expect(releaseUserReservation(stranger.id, reservation.id)).rejects.toMatchObject({ status: 404 });
    expect(await walletOf(owner.id)).toMatchObject({ balanceMinor: 500, reservedMinor: 200 });
    expect(await walletOf(stranger.id)).toMatchObject({ balanceMinor: 500, reservedMinor: 0 });
  });

  it("the same Idempotency-Key gives the same reservation; reused for another amount it conflicts; users' keys are apart", async () => {
    const alice = await userWithBalance(1000);
    const bob = await userWithBalance(1000);
    const first = await reserveFor(alice.id, 300, "render-job-42");
    const again = await reserveFor(alice.id, 300, "render-job-42");
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ replayed: true, reservation: { id: first.reservation.id } });
    await expect(reserveFor(alice.id, 301, "render-job-42")).rejects.toMatchObject({ status: 409, code: "idempotency_key_reused" });
    const bobs = await reserveFor(bob.id, 300, "render-job-42");
    expect(bobs.reservation.id).not.toBe(first.reservation.id);
    expect(await walletOf(alice.id)).toMatchObject({ reservedMinor: 300 });
  });

  it("a reservation makes its money unavailable to plain spends, and a release gives it back", async () => {
    const user = await userWithBalance(500); // £5.00
    const { reservation } = await reserveFor(user.id, 400);
    await expect(reserveFor(user.id, 101)).rejects.toMatchObject({ code: "insufficient_funds", details: { balanceMinor: 100 } });
    const released = await releaseUserReservation(user.id, reservation.id);
    expect(released.reservation).toMatchObject({ status: "released", availableMinor: 500 });
    expect(await releaseUserReservation(user.id, reservation.id)).toMatchObject({ replayed: true });
    await expect(reserveFor(user.id, 500)).resolves.toMatchObject({ reservation: { status: "held", availableMinor: 0 } });
  });
});
