import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../../scripts/mail-catcher";
import { startTestMailCatcher, waitForInbox } from "../../test/mail";
import { db } from "../core/db";
import { env } from "../core/env";
import { deliverQueuedEmails } from "../payments/receipts";
import { enqueueEmail } from "./outbox";

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestMailCatcher();
});
afterAll(() => catcher.stop());

async function userWithEmail() {
  return db().user.create({ data: { email: `outbox-${randomUUID()}@example.test`, emailVerified: new Date() } });
}

describe("the email outbox", () => {
  it("queues an email once per key and sends it once", async () => {
    const user = await userWithEmail();
    const email = {
      key: `payment-failed:in_test_${randomUUID()}:1`,
      userId: user.id,
      kind: "payment_failed" as const,
      payload: { planName: "Pro", amountDueMinor: 1500, currency: "GBP", nextAttemptAt: "2027-03-04T00:00:00.000Z", hostedInvoiceUrl: "https://invoice.example/in_1" },
    };
    await db().$transaction((tx) => enqueueEmail(tx, email));
    await db().$transaction((tx) => enqueueEmail(tx, email));
    expect(await db().emailOutbox.count({ where: { key: email.key } })).toBe(1);

    await Promise.all([deliverQueuedEmails(), deliverQueuedEmails()]);
    await deliverQueuedEmails();
    const mail = await waitForInbox(catcher, user.email, 1);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe("Your Pro payment failed");
    expect(mail[0]?.text).toContain("£15.00");
    expect(mail[0]?.text).toContain("4 Mar 2027");
    expect(mail[0]?.text).toContain(`${env().APP_URL ?? "http://localhost:3000"}/billing/portal`);
    expect((await db().emailOutbox.findUniqueOrThrow({ where: { key: email.key } })).sentAt).toBeInstanceOf(Date);
  });

  it("keeps a failed send queued with its error, and sends it on the next run", async () => {
    const user = await userWithEmail();
    const key = `renewal-receipt:in_test_${randomUUID()}`;
    await db().$transaction((tx) =>
      enqueueEmail(tx, {
        key,
        userId: user.id,
        kind: "renewal_receipt",
        payload: { planName: "Team", amountPaidMinor: 4900, currency: "GBP", invoiceNumber: "BF-0002", creditGrantedMinor: 4000, hostedInvoiceUrl: null },
      }),
    );
    const working = env().SMTP_URL;
    env().SMTP_URL = "smtp://127.0.0.1:9"; // nothing listens on the discard port
    try {
      expect((await deliverQueuedEmails()).failed).toBeGreaterThanOrEqual(1);
    } finally {
      env().SMTP_URL = working;
    }
    const failed = await db().emailOutbox.findUniqueOrThrow({ where: { key } });
    expect(failed).toMatchObject({ sentAt: null, attempts: 1 });
    expect(failed.lastError).toBeTruthy();

    await deliverQueuedEmails();
    const mail = await waitForInbox(catcher, user.email, 1);
    expect(mail[0]?.subject).toBe("Receipt for your Billfold Team plan");
    expect(mail[0]?.text).toContain("£49.00");
    expect(mail[0]?.text).toContain("£40.00 of credit has been added to your wallet.");
  });
});
