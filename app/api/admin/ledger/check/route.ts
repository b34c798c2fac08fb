// GET /api/admin/ledger/check: verifies every wallet's balance equals the sum of its entries and its grants
// break that balance down (admins only).
import { NextResponse } from "next/server";
import { withAdmin } from "@/lib/accounts";
import { findLedgerViolations } from "@/lib/ledger";

export const GET = withAdmin(async () => {
  const result = await findLedgerViolations();
  return NextResponse.json({ ok: result.violations.length === 0, ...result }, { status: result.violations.length === 0 ? 200 : 500 });
});
