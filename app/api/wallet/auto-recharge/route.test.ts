import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callRoute, sessionCookie } from "@/test/next-request";
import { db } from "@/lib/core/db";
import { GET, PUT } from "./route";

// GET/PUT /api/wallet/auto-recharge through the real handler, session and database (saving a card
// against the emulator is in lib/payments/recharges/recharges.test.ts).

async function call(handler: typeof GET, method: "GET" | "PUT", user?: { id: string; email: string }, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (user) headers.cookie = await sessionCookie(user);
  return callRoute(handler, new Request("http://localhost/api/wallet/auto-recharge", { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

async function newUser() {
  return db().user.create({ data: { email: `auto-recharge-route-${randomUUID()}@example.test` } });
}

describe("/api/wallet/auto-recharge", () => {
  it("is 401 signed out", async () => {
    const response = await call(GET, "GET");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
  });

  it("shows the defaults, off and without a card, before anything is saved", async () => {
    const response = await call(GET, "GET", await newUser());
    expect(response.status).toBe(200);
    expect((await response.json()).autoRecharge).toMatchObject({
      settings: { enabled: false, thresholdMinor: 500, targetMinor: 2000, monthlyCapMinor: 10_000, card: null, disabledReason: null }, // £5 / £20 / £100
      monthToDateMinor: 0,
      recent: [],
      switchedOff: null,
    });
  });

  it("saves valid settings, names each invalid field (422), and refuses to turn on without a card (409)", async () => {
    const user = await newUser();
    const saved = await call(PUT, "PUT", user, { enabled: false, thresholdMinor: 1000, targetMinor: 3000, monthlyCapMinor: 6000 });
    expect(saved.status).toBe(200);
    expect((await saved.json()).settings).toMatchObject({ enabled: false, thresholdMinor: 1000, targetMinor: 3000, monthlyCapMinor: 6000 });

    const invalid = await call(PUT, "PUT", user, { enabled: false, thresholdMinor: 0, targetMinor: 3000, monthlyCapMinor: 100 });
    expect(invalid.status).toBe(422);
    const body = await invalid.json();
    expect(body.error.code).toBe("validation_error");
    expect(body.error.fields.thresholdMinor).toEqual(["The threshold must be more than zero."]);

    const noCard = await call(PUT, "PUT", user, { enabled: true, thresholdMinor: 1000, targetMinor: 3000, monthlyCapMinor: 6000 });
    expect(noCard.status).toBe(409);
    expect(await noCard.json()).toEqual({ error: { code: "card_required", message: "Save a card for auto-recharge before turning it on." } });
    const row = await db().autoRecharge.findFirstOrThrow({ where: { wallet: { userId: user.id } } });
    expect(row).toMatchObject({ enabled: false, thresholdMinor: 1000 });
  });
});
