import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MailCatcher } from "../../scripts/mail-catcher";
import { readInbox } from "../../scripts/mail-inbox";
import { startTestMailCatcher, waitForInbox } from "../../test/mail";
import { db } from "../core/db";
import { env } from "../core/env";
import { deliverQueuedEmails, renderOutboxBatch } from "../payments/receipts";
import { enqueueEmail } from "./outbox";
import { EMAIL_BATCH_SIZE, emailWorkerIdle, holdEmailWorker, wakeEmailWorker } from "./worker";

// The email worker: woken after the commits that queued emails, it sends them in batches off the
// request path, each exactly once even when the cron sweep runs at the same time.

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startTestMailCatcher();
});
afterAll(() => catcher.stop());

async function queueLowBalanceAlerts(count: number) {
  const user = await db().user.create({ data: { email: `worker-${randomUUID()}@example.test`, emailVerified: new Date() } });
  const keys = Array.from({ length: count }, (_, index) => `low-balance:worker-test:${randomUUID()}:${index}`);
  await db().$transaction(async (tx) => {
    for (const key of keys) {
      await enqueueEmail(tx, { key, userId: user.id, kind: "low_balance", payload: { thresholdMinor: 500, availableMinor: 400, currency: "GBP" } }); // £4.00 left, alert below £5.00
    }
  });
  return { user, keys };
}

describe("the email worker", () => {
  it("sends more than a batch's worth after a burst of wakes, each email once, while the cron sweep runs too", async () => {
    const count = EMAIL_BATCH_SIZE + 10;
    const { user, keys } = await queueLowBalanceAlerts(count);
    for (let wake = 0; wake < 20; wake++) wakeEmailWorker(renderOutboxBatch);
    await deliverQueuedEmails({ limit: 5 }); // the cron sweep, racing it
    await emailWorkerIdle();

    const rows = await db().emailOutbox.findMany({ where: { key: { in: keys } } });
    expect(rows.filter((row) => row.sentAt !== null)).toHaveLength(count);
    expect(rows.every((row) => row.attempts === 1)).toBe(true); // each claimed once
    const mail = await waitForInbox(catcher, user.email, count + 1); // waits for one more that must not come
    expect(mail).toHaveLength(count);
  });

  it("does not drain while held, and drains once released", async () => {
    const release = await holdEmailWorker();
    const { user, keys } = await queueLowBalanceAlerts(1);
    try {
      wakeEmailWorker(renderOutboxBatch);
      await new Promise((resolve) => setTimeout(resolve, 400)); // past the wake delay
      expect(await db().emailOutbox.findUniqueOrThrow({ where: { key: keys[0] } })).toMatchObject({ sentAt: null, attempts: 0 });
    } finally {
      release();
    }
    await emailWorkerIdle();
    expect((await db().emailOutbox.findUniqueOrThrow({ where: { key: keys[0] } })).sentAt).toBeInstanceOf(Date);
    expect(await readInbox(catcher.webUrl, user.email)).toHaveLength(1);
  });

  it("leaves what SMTP refused queued with its error, after one attempt, for the next wake or the cron sweep", async () => {
    const { user, keys } = await queueLowBalanceAlerts(EMAIL_BATCH_SIZE);
    const working = env().SMTP_URL;
    env().SMTP_URL = "smtp://127.0.0.1:9"; // nothing listens on the discard port
    try {
      wakeEmailWorker(renderOutboxBatch);
      await emailWorkerIdle();
    } finally {
      env().SMTP_URL = working;
    }
    const failed = await db().emailOutbox.findMany({ where: { key: { in: keys } } });
    // A full batch that failed is not claimed again at once: that would spend every attempt while SMTP is down.
    expect(failed.map((row) => [row.sentAt, row.attempts])).toEqual(keys.map(() => [null, 1]));
    expect(failed.every((row) => row.lastError)).toBe(true);

    wakeEmailWorker(renderOutboxBatch);
    await emailWorkerIdle();
    expect(await db().emailOutbox.count({ where: { key: { in: keys }, sentAt: { not: null } } })).toBe(EMAIL_BATCH_SIZE);
    expect(await waitForInbox(catcher, user.email, EMAIL_BATCH_SIZE)).toHaveLength(EMAIL_BATCH_SIZE);
  });
});
