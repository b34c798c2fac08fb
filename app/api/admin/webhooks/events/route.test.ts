import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/core/db";
import { callRoute, sessionCookie } from "@/test/next-request";
import { GET as listGET } from "./route";
import { GET as eventGET } from "./[id]/route";
import { POST as replayPOST } from "./[id]/replay/route";

// GET /api/admin/webhooks/events, GET …/:id and POST …/:id/replay through their real handlers and
// next-auth sessions.

// Real users: the session is re-read from the database, role included.
const admin = await db().user.create({ data: { email: `webhooks-api-admin-${randomUUID()}@example.test`, role: "ADMIN", emailVerified: new Date() } });
const user = await db().user.create({ data: { email: `webhooks-api-user-${randomUUID()}@example.test` } });
type Caller = { id: string; email: string; role: "USER" | "ADMIN" };

async function call(handler: typeof listGET, path: string, who: Caller | null, params: Record<string, string> = {}, method = "GET") {
  const headers = new Headers(who ? { cookie: await sessionCookie(who) } : {});
  const response = await callRoute(handler, new Request(`http://localhost:3000${path}`, { method, headers }), params);
  return { status: response.status, body: await response.json() };
}

async function makeEvent(type: string, status: "processed" | "failed" | "ignored", minutesAgo: number) {
  return db().webhookEvent.create({
    data: {
      stripeEventId: `evt_test_${randomUUID().replaceAll("-", "")}`,
      type,
      status,
      attempts: 1,
      lastError: status === "failed" ? "Error: boom" : null,
      receivedAt: new Date(Date.now() - minutesAgo * 60_000),
      payload: { id: "evt_payload", object: "event", type, data: { object: { id: "cus_test_api", object: "customer" } } },
    },
  });
}

describe("GET /api/admin/webhooks/events", () => {
  it("answers 401 signed out and 403 for a USER", async () => {
    expect((await call(listGET, "/api/admin/webhooks/events", null)).status).toBe(401);
    expect(await call(listGET, "/api/admin/webhooks/events", user)).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect((await call(eventGET, "/api/admin/webhooks/events/x", user, { id: "x" })).status).toBe(403);
    expect((await call(replayPOST, "/api/admin/webhooks/events/x/replay", user, { id: "x" }, "POST")).status).toBe(403);
  });

  it("lists by filter with cursors and stats, never the payload", async () => {
    const type = `test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const older = await makeEvent(`${type}.a`, "failed", 3);
    const newer = await makeEvent(`${type}.b`, "failed", 2);
    await makeEvent(`${type}.c`, "ignored", 1);

    const first = await call(listGET, `/api/admin/webhooks/events?type=${type}.&status=failed,dead&limit=1`, admin);
    expect(first.status).toBe(200);
    expect(first.body.events).toEqual([
      {
        id: newer.id,
        stripeEventId: newer.stripeEventId,
        type: `${type}.b`,
        status: "failed",
        attempts: 1,
        lastError: "Error: boom",
        receivedAt: newer.receivedAt.toISOString(),
        processedAt: null,
        nextAttemptAt: null,
      },
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.body.stats.last24h).toMatchObject({ byStatus: expect.objectContaining({ failed: expect.any(Number), ignored: expect.any(Number) }) });
    expect(first.body.stats.last24h.byType).toEqual(expect.arrayContaining([{ type: `${type}.a`, count: 1 }]));
    expect(JSON.stringify(first.body)).not.toContain("cus_test_api");

    const second = await call(listGET, `/api/admin/webhooks/events?type=${type}.&status=failed&status=dead&limit=1&cursor=${first.body.nextCursor}`, admin);
    expect(second.body.events.map((event: { id: string }) => event.id)).toEqual([older.id]);
    expect(second.body.nextCursor).toBeNull();
    const withoutIgnored = await call(listGET, `/api/admin/webhooks/events?type=${type}.&hideIgnored=1`, admin);
    expect(withoutIgnored.body.events).toHaveLength(2);
  });

  it.each([
    ["limit=0"],
    ["limit=201"],
    ["limit=ten"],
    ["status=nope"],
    ["status=failed,bogus"],
    ["type=%3Cscript%3E"],
    ["cursor=not-a-cursor"],
  ])("answers 422 for %s", async (query) => {
    const response = await call(listGET, `/api/admin/webhooks/events?${query}`, admin);
    expect(response).toMatchObject({ status: 422, body: { error: { code: "validation_error" } } });
  });
});

describe("GET /api/admin/webhooks/events/:id and POST …/replay", () => {
  it("shows one event with its payload; 404 for an unknown id; replay answers 409 for a processed event", async () => {
    const event = await makeEvent("customer.created", "processed", 1);
    const shown = await call(eventGET, `/api/admin/webhooks/events/${event.id}`, admin, { id: event.id });
    expect(shown).toMatchObject({ status: 200, body: { event: { id: event.id, status: "processed", replayable: false, payload: { data: { object: { id: "cus_test_api" } } } } } });
    expect((await call(eventGET, "/api/admin/webhooks/events/nope", admin, { id: "nope" })).status).toBe(404);
    expect(await call(replayPOST, `/api/admin/webhooks/events/${event.id}/replay`, admin, { id: event.id }, "POST")).toMatchObject({ status: 409, body: { error: { code: "not_retryable" } } });
    expect((await call(replayPOST, "/api/admin/webhooks/events/nope/replay", admin, { id: "nope" }, "POST")).status).toBe(404);
  });

  it("replays a failed event once and audits it", async () => {
    // A type Billfold ignores: the replay's outcome is `ignored`, touching no money.
    const event = await makeEvent("customer.created", "failed", 1);
    const replayed = await call(replayPOST, `/api/admin/webhooks/events/${event.id}/replay`, admin, { id: event.id }, "POST");
    expect(replayed).toEqual({ status: 200, body: { replay: { id: event.id, stripeEventId: event.stripeEventId, outcome: "ignored" } } });
    expect((await call(replayPOST, `/api/admin/webhooks/events/${event.id}/replay`, admin, { id: event.id }, "POST")).status).toBe(409);
    const audit = await db().adminAuditEntry.findMany({ where: { targetId: event.id } });
    expect(audit).toEqual([expect.objectContaining({ adminId: admin.id, adminEmail: admin.email, action: "REPLAY", details: expect.objectContaining({ outcome: "ignored" }) })]);
  });
});
