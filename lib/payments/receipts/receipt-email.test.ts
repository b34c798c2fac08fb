import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../../../scripts/mail-catcher";
import { readInbox } from "../../../scripts/mail-inbox";
import { startTestMailCatcher, waitForInbox } from "../../../test/mail";
import { db } from "../../core/db";
import { checkoutSession, createPendingPurchase, paymentIntent, stripeEvent, walletState, webhookRoute, type JsonObject } from "@/test/webhook-events";

// The top-up receipt email: queued in the transaction that credits the top-up, only when that credit
// is newly applied, and sent after the webhook's answer (by the email worker, which the commit woke). However Stripe's events about one payment
// are duplicated, replayed, raced or reordered, one email is queued and one is delivered, through the
// real route, both settlement paths (the one-statement fast path and the general one), Postgres and SMTP.

const webhook = await webhookRoute({ secret: "whsec_test_receipt_email_0123456789" });
const { acceptEvent, claimEvent, processClaimedEvent, recordEvent } = await import("../../stripe-events");
const { deliverQueuedEmails } = await import(".");
const { emailWorkerIdle } = await import("../../email");
const { parseStoredEvent } = await import("../../stripe");
const { appUrl } = await import("../../core/env");

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestMailCatcher();
});
afterAll(() => catcher.stop());

async function deliver(event: JsonObject) {
  const response = await webhook.deliver(event);
  return { status: response.status, outcome: ((await response.json()) as { outcome?: string }).outcome };
}

function receiptRows(purchaseId: string) {
  return db().emailOutbox.findMany({ where: { key: `topup-receipt:${purchaseId}` } });
}

async function userEmail(userId: string) {
  return (await db().user.findUniqueOrThrow({ where: { id: userId } })).email;
}

describe("the top-up receipt email", () => {
  it("is queued and sent exactly once however the payment's events are duplicated, replayed and raced", async () => {
    const p = await createPendingPurchase(500); // £5.00, Starter
    const completed = stripeEvent("checkout.session.completed", checkoutSession(p));
    expect(await deliver(completed)).toEqual({ status: 200, outcome: "processed" }); // the fast path
    expect(await deliver(completed)).toEqual({ status: 200, outcome: "duplicate" }); // Stripe's redelivery

    // Every other event that reports the same payment, each twice under fresh ids, all at once.
    const others = [
      stripeEvent("checkout.session.completed", checkoutSession(p)),
      stripeEvent("checkout.session.async_payment_succeeded", checkoutSession(p)),
      stripeEvent("payment_intent.succeeded", paymentIntent(p)),
    ];
    const copies = [...others, ...others.map((event) => ({ ...event, id: `${String(event.id)}_again` }))];
    const answers = await Promise.all(copies.map(deliver));
    expect(answers.every((answer) => answer.status === 200 && answer.outcome === "processed")).toBe(true);
    await emailWorkerIdle(); // the worker the commit woke has sent what it owed
    await deliverQueuedEmails(); // a cron sweep after all that sends nothing new

    expect((await walletState(p.userId)).balanceMinor).toBe(500); // credited once
    const rows = await receiptRows(p.purchase.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: p.userId, kind: "topup_receipt", payload: { purchaseId: p.purchase.id }, sentAt: expect.any(Date) });

    const to = await userEmail(p.userId);
    const mail = await waitForInbox(catcher, to, 1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a second one to show up, if one were sent
    expect(await readInbox(catcher.webUrl, to)).toHaveLength(1);
    expect(mail[0]?.subject).toBe("Your receipt from Billfold: £5.00 top-up");
    const text = mail[0]?.text ?? "";
    expect(text).toContain("Amount paid: £5.00");
    expect(text).toContain("For: Starter credit pack");
    expect(text).toMatch(/Date paid: \d{1,2} [A-Z][a-z]{2} \d{4}/);
    expect(text).toContain(`Payment reference: ${p.paymentIntentId}`);
    expect(text).toContain(`Receipt number: ${p.purchase.id}`);
    expect(text).toContain(`${appUrl()}/wallet/receipts/${p.purchase.id}`);
    expect(mail[0]?.html).toContain(`href="${appUrl()}/wallet/receipts/${p.purchase.id}"`);
  });

  it("is queued once when the general path credits first (payment_intent.succeeded), not again by the session's events", async () => {
    const p = await createPendingPurchase(2000); // £20.00
    expect(await deliver(stripeEvent("payment_intent.succeeded", paymentIntent(p)))).toEqual({ status: 200, outcome: "processed" });
    expect(await deliver(stripeEvent("checkout.session.completed", checkoutSession(p)))).toEqual({ status: 200, outcome: "processed" });
    expect(await deliver(stripeEvent("payment_intent.succeeded", paymentIntent(p)))).toEqual({ status: 200, outcome: "processed" });
    expect(await receiptRows(p.purchase.id)).toHaveLength(1);
    const mail = await waitForInbox(catcher, await userEmail(p.userId), 1);
    expect(mail.map((email) => email.subject)).toEqual(["Your receipt from Billfold: £20.00 top-up"]);
  });

  it("tells the route to send only for the event whose credit queued it", async () => {
    const p = await createPendingPurchase(500);
    const first = await acceptEvent(parseStoredEvent(JSON.stringify(stripeEvent("payment_intent.succeeded", paymentIntent(p)))));
    const second = await acceptEvent(parseStoredEvent(JSON.stringify(stripeEvent("payment_intent.succeeded", paymentIntent(p)))));
    expect(first).toEqual({ outcome: "processed", sendEmails: true });
    expect(second).toEqual({ outcome: "processed" });

    const fast = await createPendingPurchase(500);
    const completed = parseStoredEvent(JSON.stringify(stripeEvent("checkout.session.completed", checkoutSession(fast))));
    expect(await acceptEvent(completed)).toEqual({ outcome: "processed", sendEmails: true });
    expect(await acceptEvent(completed)).toEqual({ outcome: "duplicate" });
  });

  it("is sent right after the commit when the event runs outside the route (the sweeper, a replay, a deferred run)", async () => {
    const p = await createPendingPurchase(5000); // £50.00
    const { row } = await recordEvent(parseStoredEvent(JSON.stringify(stripeEvent("payment_intent.succeeded", paymentIntent(p)))));
    const claimed = await claimEvent(row.id);
    expect(claimed && (await processClaimedEvent(claimed))).toBe("processed");
    // No route, no cron: the commit woke the email worker, which sent it.
    await emailWorkerIdle();
    expect((await receiptRows(p.purchase.id))[0]?.sentAt).toBeInstanceOf(Date);
    const mail = await waitForInbox(catcher, await userEmail(p.userId), 1);
    expect(mail.map((email) => email.subject)).toEqual(["Your receipt from Billfold: £50.00 top-up"]);
  });

  it("is not queued when the payment is not credited (Stripe's amount disagrees with the purchase)", async () => {
    const p = await createPendingPurchase(500);
    expect((await deliver(stripeEvent("checkout.session.completed", checkoutSession(p, { amount_total: 499 })))).status).toBe(500); // stored, failed, retried
    expect(await receiptRows(p.purchase.id)).toHaveLength(0);
    expect((await walletState(p.userId)).balanceMinor).toBe(0);
  });
});
