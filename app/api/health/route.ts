// GET /api/health: `{ status }` for load balancers and monitors; 503 when the database is unreachable
// or behind on migrations. One cached check answers every request for a few seconds (lib/core/health.ts).
import { NextResponse } from "next/server";
import { route } from "@/lib/core/api";
import { publicHealth } from "@/lib/core/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const health = await publicHealth();
  return NextResponse.json(health, { status: health.status === "ok" ? 200 : 503 });
});
