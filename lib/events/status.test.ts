import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { WebhookEventStatus } from "../generated/prisma/enums";
import { replayWebhookEvent } from "../admin/webhook-replay";
import { isReplayable, STALE_LOCK_MS, UNPROCESSED_GRACE_MS } from "./status";

// The admin page shows "Retry now" by isReplayable, and the replay itself must agree for every
// status, or the page offers a button that can only answer "not retryable" (or hides one that works).
describe("isReplayable", () => {
  const ages = [
    ["fresh", () => new Date()],
    ["old, with a stale lock", () => new Date(Date.now() - Math.max(STALE_LOCK_MS, UNPROCESSED_GRACE_MS) - 60_000)],
  ] as const;

  for (const status of Object.values(WebhookEventStatus)) {
    for (const [label, at] of ages) {
      it(`agrees with the replay for a ${label} ${status} event`, async () => {
        const row = await db().webhookEvent.create({
          data: {
            stripeEventId: `evt_test_${randomUUID().replaceAll("-", "")}`,
            type: "customer.created",
            // A type Billfold ignores: a replay that is allowed ends `ignored`.
            payload: { id: "evt_test_status", object: "event", type: "customer.created", data: { object: { id: "cus_test_status", object: "customer" } } },
            status,
            receivedAt: at(),
            lockedAt: status === "processing" ? at() : null,
          },
        });
        const replayed = await replayWebhookEvent(row.id, { id: "admin-test", email: "admin@example.test" }).then(
          () => true,
          (error: unknown) => {
            expect(error).toMatchObject({ code: "not_retryable", status: 409 });
            return false;
          },
        );
        expect(replayed).toBe(isReplayable(row));
      });
    }
  }

  it("offers failed, unmatched and dead events, and received or processing ones only once they are stale", () => {
    const longAgo = new Date(Date.now() - STALE_LOCK_MS - UNPROCESSED_GRACE_MS);
    const now = new Date();
    const event = (status: WebhookEventStatus, receivedAt = now, lockedAt: Date | null = null) => ({ status, receivedAt, lockedAt });
    expect(isReplayable(event("failed"))).toBe(true);
    expect(isReplayable(event("unmatched"))).toBe(true);
    expect(isReplayable(event("dead"))).toBe(true);
    expect(isReplayable(event("received"))).toBe(false);
    expect(isReplayable(event("received", longAgo))).toBe(true);
    expect(isReplayable(event("processing", now, now))).toBe(false);
    expect(isReplayable(event("processing", longAgo, longAgo))).toBe(true);
    expect(isReplayable(event("processed", longAgo))).toBe(false);
    expect(isReplayable(event("ignored", longAgo))).toBe(false);
  });
});
