import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { callRoute, sessionCookie } from "@/test/next-request";
import { db } from "../core/db";
import { env } from "../core/env";
import { credit } from "../ledger";
import type { ActionState } from "../accounts/guards";
import { spendDemoCredits } from "./wallet";

// The wallet's "Spend … (demo)" button, through the real server action in a request scope (as Next
// runs it). With the demo switched off the action refuses, not only the button is hidden: a form
// posted by hand (or from a page rendered before) must not spend real credit on nothing. (Where the
// demo is on, the action's revalidatePath needs the server's cache, which a test's request scope has
// not: e2e/demo-spend.spec.ts and the accessibility walk press the button on the e2e server.)

const saved = env().BILLFOLD_DEMO_SPEND;
afterEach(() => {
  env().BILLFOLD_DEMO_SPEND = saved;
});

async function userWithBalance(balanceMinor: number) {
  const user = await db().user.create({ data: { email: `demo-spend-${randomUUID()}@example.test` } });
  await db().$transaction((tx) => credit(tx, { userId: user.id, currency: "GBP", amountMinor: balanceMinor, type: "ADJUSTMENT", idempotencyKey: `seed:${user.id}` }));
  return user;
}

async function pressDemoButton(cookie: string): Promise<ActionState> {
  const form = new FormData();
  form.set("idempotencyKey", randomUUID());
  let state: ActionState = {};
  await callRoute(async () => {
    state = await spendDemoCredits({}, form);
    return new Response(null, { status: 204 });
  }, new Request("http://localhost:3000/wallet", { method: "POST", headers: { cookie } }));
  return state;
}

const balanceOf = async (userId: string) => (await db().wallet.findUniqueOrThrow({ where: { userId_currency: { userId, currency: "GBP" } } })).balanceMinor;

describe("the demo spend action", () => {
  it("refuses, and debits nothing, where the demo is off", async () => {
    env().BILLFOLD_DEMO_SPEND = undefined;
    const user = await userWithBalance(1000); // £10.00
    const state = await pressDemoButton(await sessionCookie(user));
    expect(await balanceOf(user.id)).toBe(1000); // £10.00, untouched
    expect(state).toMatchObject({ code: "demo_spend_disabled" });
  });
});
