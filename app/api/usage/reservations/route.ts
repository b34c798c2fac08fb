// POST /api/usage/reservations: reserve an amount of the signed-in user's credit for a long job, once per Idempotency-Key.
import { NextResponse } from "next/server";
import { parseJson } from "@/lib/core/api";
import { withUser } from "@/lib/accounts";
import { createReservation } from "@/lib/usage";
import { createReservationSchema, readIdempotencyKey } from "@/lib/validations/reservations";

export const POST = withUser(async (req, { user }) => {
  const idempotencyKey = readIdempotencyKey(req.headers);
  const input = await parseJson(req, createReservationSchema);
  const { reservation, replayed } = await createReservation(user.id, { ...input, idempotencyKey });
  // A reservation takes from what can be spent, like a debit: a recharge it queued is started after the answer (usageTransaction).
  return NextResponse.json(reservation, { status: replayed ? 200 : 201 });
});
