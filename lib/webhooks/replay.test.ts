import { describe, expect, it } from "vitest";
import { db } from "../db";
import { parseStoredEvent } from "../stripe";
import { claimEvent, processEvent, recordEvent, replayWebhookEvent } from "./index";
import { checkoutSession, createPendingPurchase, stripeEvent, walletState } from "@/test/webhook-events";

describe("replayWebhookEvent (admin retry)", () => {
  it("re-runs an unmatched event once; a second retry is refused and credits nothing more", async () => {
    const p = await createPendingPurchase(2000); // £20.00
    // A session id not saved yet makes the credit fail, as when the event races startTopUp.
    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: null } });
    const event = parseStoredEvent(JSON.stringify(stripeEvent("checkout.session.completed", checkoutSession(p))));
    const { row } = await recordEvent(event);
    const claimed = await claimEvent(row.id);
    expect(claimed).not.toBeNull();
    if (claimed) expect(await processEvent(claimed)).toBe("unmatched");
    expect((await walletState(p.userId)).balanceMinor).toBe(0);

    await db().purchase.update({ where: { id: p.purchase.id }, data: { checkoutSessionId: p.checkoutSessionId } });
    expect(await replayWebhookEvent(row.id, "admin-test")).toBe("processed");
    expect((await walletState(p.userId)).balanceMinor).toBe(2000);
    await expect(replayWebhookEvent(row.id, "admin-test")).rejects.toMatchObject({ code: "not_retryable", status: 409 });
    expect((await walletState(p.userId)).balanceMinor).toBe(2000);
    expect(await db().webhookEvent.findUnique({ where: { id: row.id } })).toMatchObject({ status: "processed", attempts: 2 });
  });

  it("says so when the event does not exist", async () => {
    await expect(replayWebhookEvent("no-such-event", "admin-test")).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
