import type { Reservation } from "../generated/prisma/client";
import { db, type Tx } from "../core/db";
import { env } from "../core/env";
import { NotFoundError } from "../core/errors";
import { commitReservation, releaseReservation, reservationKey, reserve } from "../ledger";
import { monthlySpendLimit, usageTransaction } from "./spend";

// The reservations API for the signed-in user (app/api/usage/reservations): the ledger does the
// reserving, committing and releasing under the wallet lock (lib/ledger/reservations.ts); this adds the
// wallet's currency, the plan's monthly cap, the view each response returns, and sending the
// low-balance email a reservation or commit may have queued once its transaction has committed.

export type ReservationStatus = Reservation["status"];

export interface ReservationView {
  id: string;
  amountMinor: number;
  currency: string;
  /** A reservation whose TTL has passed reads "expired" before the sweeper gets to it: it can no longer be committed. */
  status: ReservationStatus;
  expiresAt: Date;
  description: string | null;
  /** What the commit debited (null until committed). */
  committedMinor: number | null;
  settledAt: Date | null;
  /** What the wallet can spend now: its balance less every open reservation. */
  availableMinor: number;
}

export interface ReservationResult {
  reservation: ReservationView;
  /** True when this request changed nothing: the same key or commit had already been applied. */
  replayed: boolean;
}

export interface CreateReservationInput {
  amountMinor: number;
  ttlSeconds: number;
  description?: string;
  /** The caller's Idempotency-Key: the same key always means the same reservation. */
  idempotencyKey: string;
}

async function viewOf(tx: Tx, reservation: Reservation, now: Date): Promise<ReservationView> {
  const wallet = await tx.wallet.findUniqueOrThrow({ where: { id: reservation.walletId }, select: { currency: true, balanceMinor: true, reservedMinor: true } });
  const lapsed = reservation.status === "held" && reservation.expiresAt <= now;
  return {
    id: reservation.id,
    amountMinor: reservation.amountMinor,
    currency: wallet.currency,
    status: lapsed ? "expired" : reservation.status,
    expiresAt: reservation.expiresAt,
    description: reservation.description,
    committedMinor: reservation.committedMinor,
    settledAt: reservation.settledAt,
    availableMinor: wallet.balanceMinor - wallet.reservedMinor,
  };
}

/**
 * Reserves the amount for a job, once per idempotency key. Throws (all 402) InsufficientFundsError when
 * the available balance can't cover it, SpendLimitError when the reservation would pass the month's cap (the
 * plan's or the user's own), NegativeBalanceError while the balance is below zero.
 */
export async function createReservation(userId: string, input: CreateReservationInput, now = new Date()): Promise<ReservationResult> {
  const currency = env().BILLFOLD_CURRENCY;
  const spendLimit = await monthlySpendLimit(userId, now);
  return usageTransaction(async (tx) => {
    const { reservation, applied } = await reserve(tx, {
      userId,
      currency,
      amountMinor: input.amountMinor,
      ttlSeconds: input.ttlSeconds,
      description: input.description ?? null,
      idempotencyKey: reservationKey(userId, input.idempotencyKey),
      spendLimit,
      now,
    });
    return { reservation: await viewOf(tx, reservation, now), replayed: !applied };
  });
}

/** Debits what the job used (at most the reservation) and releases the rest; 404 for another user's reservation. */
export async function commitUserReservation(
  userId: string,
  reservationId: string,
  input: { amountMinor: number; description?: string },
  now = new Date(),
): Promise<ReservationResult> {
  return usageTransaction(async (tx) => {
    const { reservation, applied } = await commitReservation(tx, { userId, reservationId, amountMinor: input.amountMinor, description: input.description ?? null, now });
    return { reservation: await viewOf(tx, reservation, now), replayed: !applied };
  });
}

/** Gives the whole reservation back; releasing again returns the first release. */
export async function releaseUserReservation(userId: string, reservationId: string, now = new Date()): Promise<ReservationResult> {
  return usageTransaction(async (tx) => {
    const { reservation, applied } = await releaseReservation(tx, { userId, reservationId, now });
    return { reservation: await viewOf(tx, reservation, now), replayed: !applied };
  });
}

/** One of the user's reservations as it is now; another user's is not found (404), never forbidden. */
export async function getUserReservation(userId: string, reservationId: string, now = new Date()): Promise<ReservationView> {
  const reservation = await db().reservation.findFirst({ where: { id: reservationId, wallet: { userId } } });
  if (!reservation) throw new NotFoundError("No such reservation.");
  return viewOf(db(), reservation, now);
}
