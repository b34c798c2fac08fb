import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { WebhookEventStatus } from "../generated/prisma/enums";
import { claimEvent } from "./inbox";
import { isReplayable, STALE_LOCK_MS } from "./status";

// The admin page shows "Retry now" by isReplayable; the claim decides in SQL. They must agree for
// every status, or the page offers a button that can only answer "not retryable" (or hides one that works).
describe("isReplayable", () => {
  const lockStates = [
    ["no lock", null],
    ["a fresh lock", () => new Date()],
    ["a stale lock", () => new Date(Date.now() - STALE_LOCK_MS - 60_000)],
  ] as const;

  for (const status of Object.values(WebhookEventStatus)) {
    for (const [label, lockedAt] of lockStates) {
      it(`agrees with the claim for a ${status} event with ${label}`, async () => {
        const row = await db().webhookEvent.create({
          data: {
            stripeEventId: `evt_test_${randomUUID().replaceAll("-", "")}`,
            type: "customer.created",
            payload: {},
            status,
            lockedAt: lockedAt === null ? null : lockedAt(),
          },
        });
        const expected = isReplayable(row);
        expect((await claimEvent(row.id)) !== null).toBe(expected);
      });
    }
  }

  it("offers received, failed and stale processing events, and nothing finished", () => {
    const stale = new Date(Date.now() - STALE_LOCK_MS - 1000);
    expect(isReplayable({ status: "received", lockedAt: null })).toBe(true);
    expect(isReplayable({ status: "failed", lockedAt: null })).toBe(true);
    expect(isReplayable({ status: "processing", lockedAt: stale })).toBe(true);
    expect(isReplayable({ status: "processing", lockedAt: new Date() })).toBe(false);
    expect(isReplayable({ status: "processed", lockedAt: null })).toBe(false);
    expect(isReplayable({ status: "ignored", lockedAt: null })).toBe(false);
  });
});
