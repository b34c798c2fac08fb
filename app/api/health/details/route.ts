// GET /api/health/details: database reachability and migration names, for an admin or the cron bearer token; 503 when not healthy.
import { NextResponse } from "next/server";
import { withAdminOrCronSecret } from "@/lib/accounts";
import { checkHealth } from "@/lib/core/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withAdminOrCronSecret(async () => {
  const report = await checkHealth();
  return NextResponse.json(report, { status: report.ok ? 200 : 503 });
});
