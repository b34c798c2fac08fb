import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { recordAdminAction } from "./audit";
import { getAuditLog } from "./audit-view";

// The audit log as an admin reads it: who did what, to which person, amounts as money, and the
// stored JSON kept for the details toggle. Against the real Postgres.

const admin = () => ({ id: `admin-${randomUUID()}`, email: `audit-admin-${randomUUID()}@example.test` });

describe("the audit log as read", () => {
  it("names the person, says what happened with amounts as money, and keeps the stored details", async () => {
    const actor = admin();
    const customer = await db().user.create({ data: { email: `audited-${randomUUID()}@example.test` } });
    const purchase = await db().purchase.create({ data: { userId: customer.id, amountMinor: 2000, currency: "GBP", checkoutSessionId: `cs_test_${randomUUID()}` } }); // £20.00
    await recordAdminAction(db(), actor, { action: "ADJUSTMENT", targetType: "user", targetId: customer.id, reason: "Goodwill", details: { entryId: "e1", amountMinor: -250, currency: "GBP", balanceAfterMinor: 1000 } });
    await recordAdminAction(db(), actor, { action: "REFUND", targetType: "purchase", targetId: purchase.id, reason: "Asked", details: { amountMinor: 500, currency: "GBP", refundId: "re_1", requestKey: "k" } });
    await recordAdminAction(db(), actor, { action: "REFUND_REFUSED", targetType: "purchase", targetId: purchase.id, reason: "Too much", details: { outcome: "refused", code: "refund_exceeds_unspent", message: "Only £4.00 is unspent.", amountMinor: 900, requestKey: "k2" } });
    await recordAdminAction(db(), actor, { action: "REPLAY", targetType: "webhook_event", targetId: "whe_1", details: { stripeEventId: "evt_1", type: "charge.refunded", outcome: "processed" } });

    const { entries } = await getAuditLog({ adminEmail: actor.email });
    expect(entries.map(({ adminEmail, actionLabel, summary, subject, reason }) => ({ adminEmail, actionLabel, summary, subject, reason }))).toEqual([
      { adminEmail: actor.email, actionLabel: "Webhook replay", summary: "Replayed charge.refunded (evt_1): processed", subject: { label: "Webhook event evt_1", href: "/admin/webhooks/whe_1" }, reason: null },
      { adminEmail: actor.email, actionLabel: "Refund refused", summary: "Refused a refund of £9.00: Only £4.00 is unspent.", subject: { label: customer.email, href: `/admin/users/${customer.id}` }, reason: "Too much" },
      { adminEmail: actor.email, actionLabel: "Refund", summary: "Refunded £5.00 of a £20.00 top-up", subject: { label: customer.email, href: `/admin/users/${customer.id}` }, reason: "Asked" },
      { adminEmail: actor.email, actionLabel: "Adjustment", summary: "Debited £2.50; balance after: £10.00", subject: { label: customer.email, href: `/admin/users/${customer.id}` }, reason: "Goodwill" },
    ]);
    expect(entries[3]?.details).toEqual({ entryId: "e1", amountMinor: -250, currency: "GBP", balanceAfterMinor: 1000 });
  });

  it("still reads an entry whose person is gone or whose details are not what it expects", async () => {
    const actor = admin();
    await recordAdminAction(db(), actor, { action: "GRANT", targetType: "user", targetId: "user-deleted", details: { note: "old shape" } });
    const { entries } = await getAuditLog({ adminEmail: actor.email });
    expect(entries).toEqual([expect.objectContaining({ actionLabel: "Promotional grant", summary: "Granted promotional credit", subject: { label: "User user-deleted (no longer exists)", href: null } })]);
  });
});
