// Fault: a duplicate storm. Stripe may deliver one event many times at once (retries crossing a slow
// answer, several endpoints), and several events report one payment (checkout.session.completed and
// payment_intent.succeeded, and their redeliveries under new ids). However many arrive together,
// a payment is credited once.
//
// The emulator here has no webhook endpoint: the test is the only sender, so every copy that reaches
// the server is one the test counts. The events themselves are the emulator's, from real top-ups.
//
// Every copy must be answered 2xx. A 5xx would ask Stripe to send again an event the server already
// holds; the first copy to arrive stores it, and every later one has nothing left that can fail: it
// is a duplicate of a stored event (or, while the first is still running, one in progress).
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withNewId } from "@/test/billing";
import { deliver, eventsAbout, expectEachTopUpAppliedOnce, expectEventsStoredAndFinished, payCheckoutSession, startFaultCase, startTopUps, type FaultCase, type TopUp } from "./fault-case";

const COPIES = 100;

let faultCase: FaultCase;
beforeAll(async () => {
  faultCase = await startFaultCase({ name: "duplicates", webhookEndpoints: 0 });
});
afterAll(() => faultCase?.close());

async function paidTopUp(): Promise<{ topUp: TopUp; completed: Stripe.Event; succeeded: Stripe.Event }> {
  const [topUp] = await startTopUps(1);
  if (!topUp) throw new Error("no top-up was started");
  await payCheckoutSession(faultCase.emulator, topUp);
  const completed = (await eventsAbout(faultCase.stripe, "checkout.session.completed", [topUp])).get(topUp.purchaseId);
  const succeeded = (await eventsAbout(faultCase.stripe, "payment_intent.succeeded", [topUp])).get(topUp.purchaseId);
  if (!completed || !succeeded) throw new Error(`the emulator emitted no completed/succeeded event for ${topUp.checkoutSessionId}`);
  return { topUp, completed, succeeded };
}

function expectAllAnswered2xx(statuses: Array<number | null>): void {
  const others = statuses.filter((status) => status === null || status < 200 || status >= 300);
  expect(others, `answers that were not 2xx; the server's last log lines:\n${faultCase.server.logTail(5)}`).toEqual([]);
}

describe("a duplicate storm", () => {
  it(`${COPIES} concurrent deliveries of one checkout.session.completed store it once and credit once`, async () => {
    const { topUp, completed } = await paidTopUp();
    const statuses = await Promise.all(Array.from({ length: COPIES }, () => deliver(faultCase.server, completed)));

    expectAllAnswered2xx(statuses);
    await expectEventsStoredAndFinished([completed.id]);
    await expectEachTopUpAppliedOnce([topUp]);
  });

  it(`${COPIES} concurrent deliveries of ${COPIES} different events about one payment credit once`, async () => {
    const { topUp, completed, succeeded } = await paidTopUp();
    // Half report the Checkout Session, half the PaymentIntent, interleaved, each under its own id.
    const events = Array.from({ length: COPIES }, (_, copy) => withNewId(copy % 2 === 0 ? completed : succeeded));
    const statuses = await Promise.all(events.map((event) => deliver(faultCase.server, event)));

    expectAllAnswered2xx(statuses);
    await expectEventsStoredAndFinished(events.map((event) => event.id));
    await expectEachTopUpAppliedOnce([topUp]);
  });
});
