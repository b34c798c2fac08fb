import { z } from "zod";
import { ValidationError } from "../core/errors";
import { RESERVATION_TTL_SECONDS } from "../ledger";

// The reservations API's inputs (app/api/usage/reservations): amounts in minor units, the TTL in
// seconds within the ledger's bounds, and the caller's Idempotency-Key header.

const amountMinor = z.number().int("amountMinor must be a whole number of minor units.");

export const createReservationSchema = z
  .object({
    amountMinor: amountMinor.positive().max(10_000_000),
    ttlSeconds: z.number().int("ttlSeconds must be a whole number of seconds.").min(RESERVATION_TTL_SECONDS.min).max(RESERVATION_TTL_SECONDS.max).default(RESERVATION_TTL_SECONDS.default),
    description: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** What the job actually used: 0 (nothing) up to the reservation; more than the reservation is refused by the ledger (422). */
export const commitReservationSchema = z.object({ amountMinor: amountMinor.min(0).max(10_000_000), description: z.string().trim().min(1).max(200).optional() }).strict();

const idempotencyKeySchema = z.string().trim().min(8).max(200);

/** The Idempotency-Key header (the same key always means the same reservation), or 422 saying what to send. */
export function readIdempotencyKey(headers: Headers): string {
  const parsed = idempotencyKeySchema.safeParse(headers.get("idempotency-key") ?? "");
  if (!parsed.success) {
    throw new ValidationError("Send an Idempotency-Key header of 8 to 200 characters: the same key always means the same reservation.", { field: "Idempotency-Key" });
  }
  return parsed.data;
}

/** The path of /api/usage/reservations/:id and its actions. */
export const reservationParamsSchema = z.object({ id: z.string().min(1).max(64) });
