// POST /api/usage/reservations/:id/commit: debit what the job used (at most the reservation) and release the rest.
import { NextResponse } from "next/server";
import { parseJson } from "@/lib/core/api";
import { withUser } from "@/lib/accounts";
import { commitUserReservation } from "@/lib/usage";
import { commitReservationSchema, reservationParamsSchema } from "@/lib/validations/reservations";

export const POST = withUser(async (req, { user, params }) => {
  const { id } = reservationParamsSchema.parse(await params);
  const input = await parseJson(req, commitReservationSchema);
  const { reservation } = await commitUserReservation(user.id, id, input);
  return NextResponse.json(reservation);
});
