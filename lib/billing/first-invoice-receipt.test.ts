import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../../scripts/mail-catcher";
import { deliverEvent, eventsAbout, linkedUser, subscribe, withNewId, billingEmulatorForFile } from "@/test/billing";
import { startTestMailCatcher, waitForInbox } from "@/test/mail";
import { db } from "../core/db";

// The receipt for a subscription's first invoice (billing_reason subscription_create), sent like a
// renewal's: once per invoice, however many times Stripe reports it paid.

const billing = billingEmulatorForFile();
const { deliverQueuedEmails } = await import("../payments/receipts");

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestMailCatcher();
});
afterAll(() => catcher.stop());

describe("the first subscription invoice", () => {
  it("sends one receipt when it is paid, and none more for a redelivery or the same news under a new event id", async () => {
    const { userId, customerId } = await linkedUser(billing.stripe);
    const { email } = await db().user.findUniqueOrThrow({ where: { id: userId } });
    const subscription = await subscribe(billing.stripe, customerId, userId, "billfold_pro_monthly");
    const events = await eventsAbout(billing.stripe, [subscription.id, customerId]);
    for (const event of events) await deliverEvent(event);
    const paid = events.filter((event) => event.type === "invoice.paid");
    expect(paid).toHaveLength(1);
    for (const event of paid) {
      await deliverEvent(event);
      await deliverEvent(withNewId(event));
    }
    await deliverQueuedEmails();

    const queued = await db().emailOutbox.findMany({ where: { userId } });
    expect(queued.map((row) => [row.kind, row.key])).toEqual([["subscription_receipt", `subscription-receipt:${subscription.latest_invoice}`]]);
    const mail = await waitForInbox(catcher, email, 2); // waits for a second one that must not come
    expect(mail.map((message) => message.subject)).toEqual(["Receipt for your Billfold Pro plan"]);
    expect(mail[0]?.text).toContain("We received £15.00 for your Pro plan"); // £15.00 a month
    expect(mail[0]?.text).toContain("£10.00 of credit has been added to your wallet.");
  });
});
