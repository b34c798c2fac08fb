// GET /api/usage/reservations/:id: one of the signed-in user's reservations as it is now.
import { NextResponse } from "next/server";
import { withUser } from "@/lib/accounts";
import { getUserReservation } from "@/lib/usage";
import { reservationParamsSchema } from "@/lib/validations/reservations";

export const GET = withUser(async (_req, { user, params }) => {
  const { id } = reservationParamsSchema.parse(await params);
  return NextResponse.json(await getUserReservation(user.id, id));
});
