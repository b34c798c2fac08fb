// GET /api/admin/users: every user with their role, paginated by cursor (admins only).
import { NextResponse } from "next/server";
import { z } from "zod";
import { withAdmin } from "@/lib/guards";
import { listUsers } from "@/lib/users/queries";

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).optional(),
});

export const GET = withAdmin(async (req) => {
  const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const users = await listUsers({ take: query.limit, cursor: query.cursor });
  return NextResponse.json({ users, nextCursor: users.length === query.limit ? (users.at(-1)?.id ?? null) : null });
});
