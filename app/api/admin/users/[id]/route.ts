// GET /api/admin/users/:id: one user's wallets, effective plan, recent ledger entries and top-ups (admins only).
import { NextResponse } from "next/server";
import { getAdminUserDetail } from "@/lib/admin";
import { NotFoundError } from "@/lib/core/errors";
import { withAdmin } from "@/lib/accounts";

export const GET = withAdmin(async (_req, ctx) => {
  const { id } = await ctx.params;
  const user = typeof id === "string" && id.length <= 64 ? await getAdminUserDetail(id) : null;
  if (!user) throw new NotFoundError("No such user.");
  return NextResponse.json({ user });
});
