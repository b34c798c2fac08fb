// GET /api/me: the signed-in user's profile and role.
import { NextResponse } from "next/server";
import { withUser } from "@/lib/accounts";

export const GET = withUser(async (_req, { user }) => NextResponse.json({ user }));
