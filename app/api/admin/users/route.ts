// GET /api/admin/users: users newest first with role, plan and balances; `q` searches emails (any part, any case); keyset `cursor` (admins only).
import { NextResponse } from "next/server";
import { z } from "zod";
import { searchUsers } from "@/lib/admin";
import { withAdmin } from "@/lib/accounts";

const querySchema = z.object({
  q: z.string().trim().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

export const GET = withAdmin(async (req) => {
  const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { users, nextCursor } = await searchUsers({ query: query.q, after: query.cursor, take: query.limit });
  return NextResponse.json({ users, nextCursor });
});
