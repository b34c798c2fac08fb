import type { Reservation } from "../generated/prisma/client";
import { db, type Tx } from "../core/db";
import { ConflictError, NotFoundError, ValidationError } from "../core/errors";
import { formatMoney } from "../core/money";
import { assertAmount, assertWithinSpendLimit, availableToSpend, debit, lockWallet } from "./ledger";
import { reservationCommitKey } from "./keys";
import { usagePeriod } from "./periods";
import { afterAvailableChange } from "./thresholds";

// Reserve, then commit: a long job reserves an amount first, then debits what it actually used (at
// most the reservation) and releases the rest. A reservation moves no money, so the balance and its entries are
// untouched; it counts in Wallet.reservedMinor, which every spend subtracts (./ledger.ts). Reservations are
// taken under the wallet lock, so concurrent reservations never together exceed the balance.

export const RESERVATION_TTL_SECONDS = { min: 10, max: 24 * 60 * 60, default: 15 * 60 } as const;

export interface ReserveOptions {
  userId: string;
  currency: string;
  amountMinor: number;
  /** Already scoped to the user (keys.ts reservationKey). */
  idempotencyKey: string;
  ttlSeconds: number;
  description?: string | null;
  /** The plan's monthly cap on USAGE, which a reservation counts against as if spent. */
  spendLimit?: { limitMinor: number };
  now?: Date;
}

export async function reserve(tx: Tx, options: ReserveOptions): Promise<{ reservation: Reservation; applied: boolean }> {
  assertAmount(options.amountMinor);
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < RESERVATION_TTL_SECONDS.min || options.ttlSeconds > RESERVATION_TTL_SECONDS.max) {
    throw new ValidationError(`ttlSeconds must be a whole number from ${RESERVATION_TTL_SECONDS.min} to ${RESERVATION_TTL_SECONDS.max}.`, { field: "ttlSeconds" });
  }
  const wallet = await lockWallet(tx, options.userId, options.currency);
  const existing = await tx.reservation.findUnique({ where: { idempotencyKey: options.idempotencyKey } });
  if (existing) {
    if (existing.walletId !== wallet.id || existing.amountMinor !== options.amountMinor) {
      throw new ConflictError("idempotency_key_reused", "This idempotency key was already used for a different reservation.");
    }
    return { reservation: existing, applied: false };
  }
  const availableMinor = availableToSpend(wallet, options.amountMinor);
  const now = options.now ?? new Date();
  assertWithinSpendLimit(wallet, options.amountMinor, options.spendLimit, usagePeriod(now));
  const reservation = await tx.reservation.create({
    data: {
      walletId: wallet.id,
      amountMinor: options.amountMinor,
      idempotencyKey: options.idempotencyKey,
      description: options.description ?? null,
      expiresAt: new Date(now.getTime() + options.ttlSeconds * 1000),
    },
  });
  await tx.wallet.update({ where: { id: wallet.id }, data: { reservedMinor: { increment: options.amountMinor } } });
  await afterAvailableChange(tx, wallet, { beforeMinor: availableMinor, afterMinor: availableMinor - options.amountMinor, cause: null, now });
  return { reservation, applied: true };
}

/** The user's reservation with its wallet locked, or 404 (another user's reservation is not found, not forbidden). */
async function lockOwnReservation(tx: Tx, userId: string, reservationId: string) {
  const found = await tx.reservation.findUnique({ where: { id: reservationId }, include: { wallet: { select: { userId: true, currency: true } } } });
  if (!found || found.wallet.userId !== userId) throw new NotFoundError("No such reservation.");
  const wallet = await lockWallet(tx, userId, found.wallet.currency);
  const reservation = await tx.reservation.findUniqueOrThrow({ where: { id: reservationId } });
  return { reservation, wallet };
}

function assertStillHeld(reservation: Reservation, now: Date) {
  if (reservation.status === "held" && reservation.expiresAt <= now) {
    throw new ConflictError("reservation_expired", "This reservation has expired and its amount was released.");
  }
  if (reservation.status !== "held") throw new ConflictError(`reservation_${reservation.status}`, `This reservation was already ${reservation.status}.`);
}

/**
 * Debits the actual amount (0 up to the reservation) as USAGE and releases the whole reservation, in one entry.
 * Committing again with the same amount returns the first commit; a different amount is a conflict.
 */
export async function commitReservation(
  tx: Tx,
  input: { userId: string; reservationId: string; amountMinor: number; description?: string | null; now?: Date },
): Promise<{ reservation: Reservation; applied: boolean }> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 0) throw new ValidationError("amountMinor must be a whole number of minor units, 0 or more.", { field: "amountMinor" });
  const now = input.now ?? new Date();
  const { reservation, wallet } = await lockOwnReservation(tx, input.userId, input.reservationId);
  if (reservation.status === "committed" && reservation.committedMinor === input.amountMinor) return { reservation, applied: false };
  assertStillHeld(reservation, now);
  if (input.amountMinor > reservation.amountMinor) {
    throw new ValidationError(`You can commit at most the ${formatMoney(reservation.amountMinor, wallet.currency)} held.`, { field: "amountMinor", heldMinor: reservation.amountMinor });
  }
  let entryId: string | null = null;
  if (input.amountMinor > 0) {
    const { entry } = await debit(tx, {
      userId: input.userId,
      currency: wallet.currency,
      amountMinor: input.amountMinor,
      type: "USAGE",
      idempotencyKey: reservationCommitKey(reservation.id),
      description: input.description ?? reservation.description,
      heldMinor: reservation.amountMinor,
      now,
    });
    entryId = entry.id;
  } else {
    await releaseReservedAmount(tx, wallet, reservation.amountMinor, now);
  }
  const committed = await tx.reservation.update({
    where: { id: reservation.id },
    data: { status: "committed", committedMinor: input.amountMinor, entryId, settledAt: now },
  });
  return { reservation: committed, applied: true };
}

async function releaseReservedAmount(tx: Tx, wallet: Awaited<ReturnType<typeof lockWallet>>, heldMinor: number, now: Date) {
  await tx.wallet.update({ where: { id: wallet.id }, data: { reservedMinor: { decrement: heldMinor } } });
  const before = wallet.balanceMinor - wallet.reservedMinor;
  await afterAvailableChange(tx, wallet, { beforeMinor: before, afterMinor: before + heldMinor, cause: null, now });
}

/** Gives the whole reservation back without spending anything. Releasing twice returns the first release. */
export async function releaseReservation(tx: Tx, input: { userId: string; reservationId: string; now?: Date }): Promise<{ reservation: Reservation; applied: boolean }> {
  const now = input.now ?? new Date();
  const { reservation, wallet } = await lockOwnReservation(tx, input.userId, input.reservationId);
  if (reservation.status === "released") return { reservation, applied: false };
  assertStillHeld(reservation, now);
  await releaseReservedAmount(tx, wallet, reservation.amountMinor, now);
  const released = await tx.reservation.update({ where: { id: reservation.id }, data: { status: "released", settledAt: now } });
  return { reservation: released, applied: true };
}

/** The sweeper: releases every reservation whose TTL has passed, each in its own transaction. Returns how many. */
export async function expireReservations(now = new Date(), limit = 500): Promise<number> {
  const due = await db().reservation.findMany({
    where: { status: "held", expiresAt: { lte: now } },
    orderBy: { expiresAt: "asc" },
    select: { id: true, wallet: { select: { userId: true, currency: true } } },
    take: limit,
  });
  let expired = 0;
  for (const { id, wallet: owner } of due) {
    const done = await db().$transaction(async (tx) => {
      const wallet = await lockWallet(tx, owner.userId, owner.currency);
      const reservation = await tx.reservation.findUniqueOrThrow({ where: { id } });
      if (reservation.status !== "held" || reservation.expiresAt > now) return false;
      await releaseReservedAmount(tx, wallet, reservation.amountMinor, now);
      await tx.reservation.update({ where: { id }, data: { status: "expired", settledAt: now } });
      return true;
    });
    if (done) expired += 1;
  }
  return expired;
}
