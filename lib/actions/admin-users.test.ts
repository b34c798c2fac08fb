import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { credit } from "../ledger";
import type { ActionState } from "../accounts/guards";
import { callRoute, sessionCookie } from "@/test/next-request";
import { adjustWalletAction } from "./admin-users";

// The admin's adjustment form as the browser posts it: a real admin session, real Postgres.

async function asAdmin(run: () => Promise<ActionState>): Promise<ActionState> {
  const admin = await db().user.create({ data: { email: `action-admin-${randomUUID()}@example.test`, role: "ADMIN", emailVerified: new Date() } });
  const response = await callRoute(async () => Response.json(await run()), new Request("http://localhost/admin/users", { headers: { cookie: await sessionCookie(admin) } }));
  return (await response.json()) as ActionState;
}

function adjustmentForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries({ currency: "GBP", reason: "Testing the copy", requestKey: randomUUID(), ...fields })) form.set(name, value);
  return form;
}

describe("the admin adjustment form", () => {
  it("names a refused debit as money, not as the number typed", async () => {
    const user = await db().user.create({ data: { email: `adjusted-${randomUUID()}@example.test` } });
    await db().$transaction((tx) => credit(tx, { userId: user.id, currency: "GBP", amountMinor: 200, type: "TOPUP", idempotencyKey: `action-test:${randomUUID()}` })); // £2.00

    const state = await asAdmin(() => adjustWalletAction({}, adjustmentForm({ userId: user.id, direction: "debit", amount: "10" })));
    expect(state.error).toBe("A debit of £10.00 would take the wallet below zero (balance £2.00). Nothing was changed.");
    expect(state.fieldErrors?.amount).toEqual(["More than the balance."]);
  });
});
