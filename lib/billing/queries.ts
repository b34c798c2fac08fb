import { db } from "../db";
import { FREE_PLAN_KEY } from "./catalog";

export function listActivePlans() {
  return db().plan.findMany({ where: { active: true }, orderBy: { sortOrder: "asc" } });
}

const LIVE_STATUSES = ["active", "trialing", "past_due"] as const;

/** The plan a user is on now: their live subscription's plan, or Free. */
export async function getCurrentPlan(userId: string) {
  const subscription = await db().subscription.findFirst({
    where: { userId, status: { in: [...LIVE_STATUSES] } },
    orderBy: { createdAt: "desc" },
    include: { plan: true },
  });
  const plan = subscription?.plan ?? (await db().plan.findUnique({ where: { key: FREE_PLAN_KEY } }));
  return { plan, subscription };
}
