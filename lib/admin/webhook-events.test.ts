import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import type { WebhookEventStatus } from "../generated/prisma/enums";
import { getWebhookEventStats, listWebhookEvents, parseWebhookEventSearch, webhookEventFilterSchema, type WebhookEventFilter } from "./webhook-events";

// Each test owns its events through a type of its own (other suites write events to the same database).
const markerType = () => `test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;

async function makeEvent(type: string, status: WebhookEventStatus, receivedAt: Date) {
  return db().webhookEvent.create({
    data: { stripeEventId: `evt_test_${randomUUID().replaceAll("-", "")}`, type, status, receivedAt, payload: { secret: "payload-never-listed" } },
  });
}

async function everyPage(filter: WebhookEventFilter, take: number) {
  const seen: Array<{ id: string; receivedAt: Date; status: string; type: string }> = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const result: Awaited<ReturnType<typeof listWebhookEvents>> = await listWebhookEvents(filter, { after, take });
    seen.push(...result.events);
    after = result.nextCursor;
    if (!after) break;
  }
  return seen;
}

const filterOf = (raw: Record<string, unknown>) => webhookEventFilterSchema.parse(raw);

describe("listWebhookEvents", () => {
  it("pages newest first by keyset, with no gap or repeat among events received at the same instant", async () => {
    const type = markerType();
    const sameInstant = new Date(Date.now() - 60_000);
    const created = [];
    for (let i = 0; i < 12; i += 1) created.push(await makeEvent(`${type}.tied`, "processed", sameInstant));
    for (let i = 0; i < 5; i += 1) created.push(await makeEvent(`${type}.tied`, "ignored", new Date(sameInstant.getTime() + (i + 1) * 1000)));

    const seen = await everyPage(filterOf({ type: `${type}.` }), 4);
    expect(seen.map((event) => event.id).sort()).toEqual(created.map((event) => event.id).sort());
    for (let i = 1; i < seen.length; i += 1) {
      const [previous, current] = [seen[i - 1], seen[i]];
      if (!previous || !current) continue;
      expect(current.receivedAt.getTime()).toBeLessThanOrEqual(previous.receivedAt.getTime());
      if (current.receivedAt.getTime() === previous.receivedAt.getTime()) expect(current.id < previous.id).toBe(true);
    }
    const first = await listWebhookEvents(filterOf({ type: `${type}.` }), { take: 20 });
    expect(first.nextCursor).toBeNull();
    expect(JSON.stringify(first.events)).not.toContain("payload-never-listed");
  });

  it("filters by exact type, by prefix, by one or several statuses, and hides ignored events", async () => {
    const type = markerType();
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const paid = await makeEvent(`${type}.paid`, "processed", at(5));
    const failed = await makeEvent(`${type}.paid`, "failed", at(4));
    const dead = await makeEvent(`${type}.voided`, "dead", at(3));
    const ignored = await makeEvent(`${type}.created`, "ignored", at(2));
    const other = await makeEvent(`${type}x.paid`, "failed", at(1)); // shares the prefix text, not the dotted prefix

    const ids = async (raw: Record<string, unknown>) => (await everyPage(filterOf(raw), 50)).map((event) => event.id);
    expect(await ids({ type: `${type}.paid` })).toEqual([failed.id, paid.id]);
    expect(await ids({ type: `${type}.` })).toEqual([ignored.id, dead.id, failed.id, paid.id]);
    expect(await ids({ type: `${type}.`, status: "failed" })).toEqual([failed.id]);
    expect(await ids({ type: `${type}.`, status: "failed,dead" })).toEqual([dead.id, failed.id]);
    expect(await ids({ type: `${type}.`, status: ["failed", "dead"] })).toEqual([dead.id, failed.id]);
    expect(await ids({ type: `${type}.`, hideIgnored: "1" })).toEqual([dead.id, failed.id, paid.id]);
    expect(await ids({ type: `${type}.`, status: "ignored,processed", hideIgnored: "1" })).toEqual([paid.id]);
    expect(await ids({ type: `${type}x.` })).toEqual([other.id]);
  });

  it("reads a malformed cursor as the first page", async () => {
    const type = markerType();
    await makeEvent(type, "processed", new Date());
    const first = await listWebhookEvents(filterOf({ type }), { take: 3 });
    expect(await listWebhookEvents(filterOf({ type }), { after: "not-a-cursor", take: 3 })).toEqual(first);
  });
});

describe("parseWebhookEventSearch", () => {
  it("keeps the valid fields of a query and reports the bad ones", () => {
    expect(parseWebhookEventSearch({ type: "invoice.", status: "failed,dead", hideIgnored: "1" })).toEqual({
      filter: { type: "invoice.", status: ["failed", "dead"], hideIgnored: true },
      errors: [],
      typedType: "invoice.",
    });
    const bad = parseWebhookEventSearch({ type: "<script>", status: ["failed", "nope"] });
    expect(bad.filter).toEqual({ type: undefined, status: undefined, hideIgnored: false });
    expect(bad.errors).toHaveLength(2);
    expect(bad.typedType).toBe("<script>");
    expect(parseWebhookEventSearch({ type: "", status: "" }).filter).toEqual({ type: undefined, status: undefined, hideIgnored: false });
  });
});

describe("getWebhookEventStats", () => {
  it("counts the 24 hours before `now` by status and by type, with the success rate", async () => {
    // A window in 2001 that no other suite writes to.
    const now = new Date(Date.UTC(2001, 0, 2, 12));
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const type = markerType();
    await makeEvent(`${type}.a`, "processed", hoursAgo(1));
    await makeEvent(`${type}.a`, "processed", hoursAgo(2));
    await makeEvent(`${type}.a`, "failed", hoursAgo(3));
    await makeEvent(`${type}.b`, "ignored", hoursAgo(23));
    await makeEvent(`${type}.b`, "received", hoursAgo(4)); // not finished: not in the rate
    await makeEvent(`${type}.c`, "dead", hoursAgo(25)); // before the window
    await makeEvent(`${type}.c`, "dead", new Date(now.getTime() + 60_000)); // after `now`

    const { last24h } = await getWebhookEventStats(now);
    expect(last24h.byStatus).toEqual({ received: 1, processing: 0, processed: 2, failed: 1, ignored: 1, unmatched: 0, dead: 0 });
    expect(last24h.byType).toEqual([{ type: `${type}.a`, count: 3 }, { type: `${type}.b`, count: 2 }]);
    expect(last24h.successRate).toBe(3 / 4);
    expect((await getWebhookEventStats(new Date(Date.UTC(2001, 5, 1)))).last24h.successRate).toBeNull();
  });
});
