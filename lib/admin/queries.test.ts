import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import type { WebhookEventStatus } from "../generated/prisma/enums";
import { listWebhookEventsForAdmin } from "./queries";

const RANK: Record<string, number> = { dead: 0, failed: 1, unmatched: 2 };
const rankOf = (status: string) => RANK[status] ?? 3;

describe("listWebhookEventsForAdmin", () => {
  it("lists dead, failed and unmatched events first, and pages through every event once by keyset", async () => {
    const marker = randomUUID().slice(0, 8);
    const make = (status: WebhookEventStatus, minutesAgo: number) =>
      db().webhookEvent.create({
        data: {
          stripeEventId: `evt_test_${marker}_${status}_${minutesAgo}`,
          type: "customer.created",
          payload: { secret: "payload-never-listed" },
          status,
          receivedAt: new Date(Date.now() - minutesAgo * 60_000),
        },
      });
    // An old dead letter behind many newer processed events: it must not fall off the first page.
    const oldDead = await make("dead", 60 * 24 * 30);
    for (let i = 0; i < 30; i += 1) await make("processed", i);
    await make("failed", 5);
    await make("unmatched", 3);

    const first = await listWebhookEventsForAdmin({ take: 25 });
    expect(first.events[0]?.status).toBe("dead");
    expect(first.events.some((event) => event.id === oldDead.id)).toBe(true);
    expect(JSON.stringify(first.events)).not.toContain("payload-never-listed");

    // Every page in order, 7 at a time: nothing twice, attention order kept across page boundaries.
    const seen: Array<{ id: string; status: string; receivedAt: Date }> = [];
    let after: string | null = null;
    for (let page = 0; page < 1000; page += 1) {
      const result: Awaited<ReturnType<typeof listWebhookEventsForAdmin>> = await listWebhookEventsForAdmin({ after, take: 7 });
      seen.push(...result.events);
      after = result.nextCursor;
      if (!after) break;
    }
    expect(new Set(seen.map((event) => event.id)).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i += 1) {
      const [previous, current] = [seen[i - 1], seen[i]];
      if (!previous || !current) continue;
      expect(rankOf(current.status)).toBeGreaterThanOrEqual(rankOf(previous.status));
      if (rankOf(current.status) === rankOf(previous.status)) expect(current.receivedAt.getTime()).toBeLessThanOrEqual(previous.receivedAt.getTime());
    }
    // All of this test's events are there, the month-old dead letter before every newer processed one.
    const ids = new Set(seen.map((event) => event.id));
    const created = await db().webhookEvent.findMany({ where: { stripeEventId: { startsWith: `evt_test_${marker}_` } }, select: { id: true, status: true } });
    expect(created).toHaveLength(33);
    expect(created.every((event) => ids.has(event.id))).toBe(true);
    const position = (id: string) => seen.findIndex((event) => event.id === id);
    const processedPositions = created.filter((event) => event.status === "processed").map((event) => position(event.id));
    expect(position(oldDead.id)).toBeLessThan(Math.min(...processedPositions));
  });

  it("falls back to the first page for a malformed cursor", async () => {
    const first = await listWebhookEventsForAdmin({ take: 3 });
    expect(await listWebhookEventsForAdmin({ after: "not-a-cursor", take: 3 })).toEqual(first);
  });
});
