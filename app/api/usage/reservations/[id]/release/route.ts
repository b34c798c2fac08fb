// POST /api/usage/reservations/:id/release: give the whole reservation back without spending anything.
import { NextResponse } from "next/server";
import { withUser } from "@/lib/accounts";
import { releaseUserReservation } from "@/lib/usage";
import { reservationParamsSchema } from "@/lib/validations/reservations";

export const POST = withUser(async (_req, { user, params }) => {
  const { id } = reservationParamsSchema.parse(await params);
  const { reservation } = await releaseUserReservation(user.id, id);
  return NextResponse.json(reservation);
});
