import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callRoute, sessionCookie } from "@/test/next-request";
import { runCreditSweep } from "@/lib/usage/credit-sweep";
import { db } from "@/lib/core/db";
import { env } from "@/lib/core/env";
import { credit } from "@/lib/ledger";
import { updateSpendingControls } from "@/lib/usage/limits";
import { POST as commitPOST } from "./[id]/commit/route";
import { POST as releasePOST } from "./[id]/release/route";
import { GET as reservationGET } from "./[id]/route";
import { POST as reservePOST } from "./route";

// The reservations API through its real handlers, next-auth sessions and database: status codes, the
// response bodies and the one error shape. The ledger's rules themselves are tested in lib/usage.

type User = { id: string; email: string };

async function userWithBalance(balanceMinor: number): Promise<User> {
  const user = await db().user.create({ data: { email: `reservation-route-${randomUUID()}@example.test` } });
  if (balanceMinor > 0) {
    await db().$transaction((tx) =>
      credit(tx, { userId: user.id, currency: env().BILLFOLD_CURRENCY, amountMinor: balanceMinor, type: "ADJUSTMENT", idempotencyKey: `seed:${user.id}` }),
    );
  }
  return user;
}

async function call(
  handler: typeof reservePOST,
  { user, path, body, headers = {}, params = {}, method = "POST" }: { user?: User; path: string; body?: unknown; headers?: Record<string, string>; params?: Record<string, string>; method?: string },
) {
  const all = new Headers(headers);
  if (user) all.set("cookie", await sessionCookie(user));
  if (body !== undefined) all.set("content-type", "application/json");
  const response = await callRoute(handler, new Request(`http://localhost:3000${path}`, { method, headers: all, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }), params);
  return { status: response.status, body: await response.json() };
}

const reserve = (user: User | undefined, body: unknown, key: string | null = randomUUID()) =>
  call(reservePOST, { user, path: "/api/usage/reservations", body, headers: key === null ? {} : { "Idempotency-Key": key } });
const commit = (user: User, id: string, body: unknown) => call(commitPOST, { user, path: `/api/usage/reservations/${id}/commit`, body, params: { id } });
const release = (user: User, id: string) => call(releasePOST, { user, path: `/api/usage/reservations/${id}/release`, params: { id } });
const read = (user: User, id: string) => call(reservationGET, { user, path: `/api/usage/reservations/${id}`, params: { id }, method: "GET" });

describe("POST /api/usage/reservations", () => {
  it("is 401 signed out, in the one error shape", async () => {
    expect(await reserve(undefined, { amountMinor: 100 })).toEqual({ status: 401, body: { error: { code: "unauthorized", message: "Sign in to continue." } } });
  });

  it("answers 201 with the reservation and what is left available, and 200 with the same reservation for the same Idempotency-Key", async () => {
    const user = await userWithBalance(1000); // £10.00
    const created = await reserve(user, { amountMinor: 400, ttlSeconds: 120, description: "Render job" }, "job-key-0001"); // £4.00 for 2 minutes
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      amountMinor: 400,
      currency: env().BILLFOLD_CURRENCY,
      status: "held",
      expiresAt: expect.any(String),
      description: "Render job",
      committedMinor: null,
      settledAt: null,
      availableMinor: 600,
    });
    const ttlMs = new Date(created.body.expiresAt).getTime() - Date.now();
    expect(ttlMs).toBeGreaterThan(110_000);
    expect(ttlMs).toBeLessThanOrEqual(120_000);

    const replayed = await reserve(user, { amountMinor: 400, ttlSeconds: 120, description: "Render job" }, "job-key-0001");
    expect(replayed).toEqual({ status: 200, body: created.body });
    const reused = await reserve(user, { amountMinor: 500 }, "job-key-0001");
    expect(reused).toMatchObject({ status: 409, body: { error: { code: "idempotency_key_reused" } } });
    expect(await db().reservation.count({ where: { wallet: { userId: user.id } } })).toBe(1);
  });

  it("needs an Idempotency-Key header and a valid body (422), and defaults the TTL to 15 minutes", async () => {
    const user = await userWithBalance(1000);
    expect(await reserve(user, { amountMinor: 100 }, null)).toMatchObject({ status: 422, body: { error: { code: "validation_error", field: "Idempotency-Key" } } });
    expect(await reserve(user, { amountMinor: 100 }, "short")).toMatchObject({ status: 422 });
    expect(await reserve(user, { amountMinor: 1.5 })).toMatchObject({ status: 422, body: { error: { fields: { amountMinor: expect.any(Array) } } } });
    expect(await reserve(user, { amountMinor: 100, ttlSeconds: 5 })).toMatchObject({ status: 422, body: { error: { fields: { ttlSeconds: expect.any(Array) } } } });
    expect(await reserve(user, { amountMinor: 100, extra: true })).toMatchObject({ status: 422 });
    const defaulted = await reserve(user, { amountMinor: 100 });
    const ttlMs = new Date(defaulted.body.expiresAt).getTime() - Date.now();
    expect(ttlMs).toBeGreaterThan(14 * 60_000);
    expect(ttlMs).toBeLessThanOrEqual(15 * 60_000);
  });

  it("is 402 insufficient_funds past the available balance, and 402 spend_limit_reached past the user's own limit", async () => {
    const user = await userWithBalance(1000);
    expect(await reserve(user, { amountMinor: 1001 })).toMatchObject({
      status: 402,
      body: { error: { code: "insufficient_funds", balanceMinor: 1000, currency: env().BILLFOLD_CURRENCY } },
    });
    await updateSpendingControls(user.id, env().BILLFOLD_CURRENCY, { spendLimitMinor: 300, lowBalanceThresholdMinor: null }); // £3.00 a month
    const capped = await reserve(user, { amountMinor: 301 });
    expect(capped).toMatchObject({ status: 402, body: { error: { code: "spend_limit_reached", setBy: "you", limitMinor: 300, spentMinor: 0, resetsAt: expect.any(String) } } });
    expect(capped.body.error.message).toMatch(/monthly spend limit you set/);
  });
});

describe("POST /api/usage/reservations/:id/commit and /release, GET /api/usage/reservations/:id", () => {
  it("commits less than reserved (the rest goes back), replays the same commit, and refuses another amount or more than the reservation", async () => {
    const user = await userWithBalance(1000);
    const { body: held } = await reserve(user, { amountMinor: 500 }); // £5.00
    expect(await commit(user, held.id, { amountMinor: 501 })).toMatchObject({ status: 422, body: { error: { code: "validation_error", heldMinor: 500 } } });
    const committed = await commit(user, held.id, { amountMinor: 320 }); // £3.20 used
    expect(committed).toMatchObject({ status: 200, body: { id: held.id, status: "committed", committedMinor: 320, availableMinor: 680, settledAt: expect.any(String) } });
    expect(await commit(user, held.id, { amountMinor: 320 })).toEqual(committed);
    expect(await commit(user, held.id, { amountMinor: 100 })).toMatchObject({ status: 409, body: { error: { code: "reservation_committed" } } });
    expect(await read(user, held.id)).toEqual(committed);
    const wallet = await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId: user.id, currency: env().BILLFOLD_CURRENCY } } });
    expect(wallet).toMatchObject({ balanceMinor: 680, reservedMinor: 0 });
  });

  it("releases the whole reservation, once", async () => {
    const user = await userWithBalance(1000);
    const { body: held } = await reserve(user, { amountMinor: 700 });
    const released = await release(user, held.id);
    expect(released).toMatchObject({ status: 200, body: { status: "released", committedMinor: null, availableMinor: 1000 } });
    expect(await release(user, held.id)).toEqual(released);
    expect(await commit(user, held.id, { amountMinor: 100 })).toMatchObject({ status: 409, body: { error: { code: "reservation_released" } } });
  });

  it("after the sweep has expired a reservation, a commit is 409 reservation_expired", async () => {
    const user = await userWithBalance(1000);
    const { body: held } = await reserve(user, { amountMinor: 200, ttlSeconds: 10 });
    await runCreditSweep({ now: new Date(Date.now() + 11_000) });
    expect(await read(user, held.id)).toMatchObject({ status: 200, body: { status: "expired", availableMinor: 1000 } });
    expect(await commit(user, held.id, { amountMinor: 200 })).toMatchObject({ status: 409, body: { error: { code: "reservation_expired" } } });
  });

  it("another user's reservation, or none, is 404 for every action", async () => {
    const owner = await userWithBalance(1000);
    const stranger = await userWithBalance(1000);
    const { body: held } = await reserve(owner, { amountMinor: 200 });
    const notFound = { status: 404, body: { error: { code: "not_found", message: "No such reservation." } } };
    expect(await read(stranger, held.id)).toEqual(notFound);
    expect(await commit(stranger, held.id, { amountMinor: 100 })).toEqual(notFound);
    expect(await release(stranger, held.id)).toEqual(notFound);
    expect(await read(owner, "no-such-reservation")).toEqual(notFound);
    expect(await read(owner, held.id)).toMatchObject({ status: 200, body: { status: "held" } });
  });
});
