import { describe, expect, it } from "vitest";
import { checkoutSession, createPendingPurchase, paymentIntent, stripeEvent, walletState, webhookRoute, type JsonObject } from "@/test/webhook-events";
import { countStatements, type StatementCount } from "@/test/statement-count";

// What a delivery to the real webhook route costs the database, in statements and commits (exact:
// counts do not depend on the machine). The request path of a plain top-up is the one-statement
// settlement and nothing else; its receipt is the email worker's, after the answer, held off while
// a count runs (test/statement-count.ts). A change that adds a round trip fails here.

const webhook = await webhookRoute({ secret: "whsec_test_budget_0123456789abcdef" });
const { db } = await import("@/lib/core/db");
const { emailWorkerIdle } = await import("@/lib/email");

async function deliverCounted(event: JsonObject): Promise<{ status: number; body: unknown; count: StatementCount }> {
  const { result, count } = await countStatements(async () => {
    const response = await webhook.deliver(event);
    return { status: response.status, body: await response.json() };
  });
  return { ...result, count };
}

/** The count, with the statements' texts when it is not the budget (what to look at when this fails). */
function expectBudget(count: StatementCount, budget: { statements: number; commits: number }): void {
  expect({ statements: count.statements, commits: count.commits }, count.texts.join("\n")).toEqual(budget);
}

describe("the webhook route's database budget", () => {
  it("a plain top-up's checkout.session.completed costs 1 statement and 1 commit; its redelivery 1 statement", async () => {
    const p = await createPendingPurchase(500); // £5.00
    const completed = stripeEvent("checkout.session.completed", checkoutSession(p));

    const first = await deliverCounted(completed);
    expect({ status: first.status, body: first.body }).toEqual({ status: 200, body: { received: true, outcome: "processed" } });
    expectBudget(first.count, { statements: 1, commits: 1 });
    expect((await walletState(p.userId)).balanceMinor).toBe(500);

    const again = await deliverCounted(completed);
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { received: true, outcome: "duplicate" } });
    expectBudget(again.count, { statements: 1, commits: 1 });

    // The receipt was left to the worker, which sends it once the counts are done.
    await emailWorkerIdle();
    const receipts = await db().emailOutbox.findMany({ where: { key: `topup-receipt:${p.purchase.id}` } });
    expect(receipts).toMatchObject([{ sentAt: expect.any(Date) }]);
  });

  it("an event on the general path (payment_intent.payment_failed for a known purchase) costs 8 statements and 2 commits: its store, then one transaction that claims and applies it", async () => {
    const p = await createPendingPurchase(700); // £7.00
    const failed = stripeEvent("payment_intent.payment_failed", paymentIntent(p, { status: "requires_payment_method", last_payment_error: { code: "card_declined", message: "Your card was declined." } }));

    const { status, body, count } = await deliverCounted(failed);
    expect({ status, body }).toEqual({ status: 200, body: { received: true, outcome: "processed" } });
    // INSERT the event; BEGIN, mark it processed, read the purchase, lock it, read it again, mark it failed, COMMIT.
    expectBudget(count, { statements: 8, commits: 2 });
  });
});
