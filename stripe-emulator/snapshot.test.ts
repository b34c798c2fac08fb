// The snapshot file keeps the emulator's state across restarts; a missing or corrupt one starts an
// empty emulator (with a warning for a corrupt one, whose content is kept aside) instead of crashing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningEmulator } from "./index";
import { startTestEmulator } from "./testing";

let directory: string;
let running: RunningEmulator[] = [];

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), "stripe-emulator-snapshot-"));
});

afterEach(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
  running = [];
  vi.restoreAllMocks();
  rmSync(directory, { recursive: true, force: true });
});

async function start(snapshotFile: string) {
  const started = await startTestEmulator({ snapshotFile });
  running.push(started.emulator);
  return started;
}

async function stop(emulator: RunningEmulator) {
  await emulator.close();
  running = running.filter((item) => item !== emulator);
}

async function emulatorNow(emulator: RunningEmulator): Promise<number> {
  const body: { now: number } = await (await fetch(`${emulator.url}/_emulator/health`)).json();
  return body.now;
}

async function retrieveCustomerEmail(stripe: Stripe, id: string): Promise<string | null> {
  const customer = await stripe.customers.retrieve(id);
  if (customer.deleted) throw new Error(`customer ${id} was deleted`);
  return customer.email;
}

describe("snapshot file", () => {
  it("restores customers, checkout sessions and the clock in a new emulator after close()", async () => {
    const file = path.join(directory, "stripe.json");
    const first = await start(file);
    const customer = await first.stripe.customers.create({ email: "kept@example.com", metadata: { userId: "u_1" } });
    const session = await first.stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [{ price_data: { currency: "gbp", unit_amount: 2000, product_data: { name: "Standard credit pack" } }, quantity: 1 }], // £20.00
      success_url: "http://app.local/ok",
    });
    await fetch(`${first.emulator.url}/_emulator/advance`, { method: "POST", body: new URLSearchParams({ seconds: "3600" }) });
    const clockBefore = await emulatorNow(first.emulator);
    await stop(first.emulator);
    expect(existsSync(file)).toBe(true);

    const second = await start(file);
    expect(await retrieveCustomerEmail(second.stripe, customer.id)).toBe("kept@example.com");
    const restored = await second.stripe.checkout.sessions.retrieve(session.id);
    expect(restored).toMatchObject({ id: session.id, customer: customer.id, status: "open", amount_total: 2000, currency: "gbp" }); // £20.00
    const lineItems = await second.stripe.checkout.sessions.listLineItems(session.id);
    expect(lineItems.data.map((item) => item.amount_total)).toEqual([2000]); // £20.00
    // The emulated clock keeps its offset (an hour ahead), rather than snapping back to real time.
    expect(await emulatorNow(second.emulator)).toBeGreaterThanOrEqual(clockBefore);

    // The restored session is usable, not just readable: it can still be paid.
    const paid = await fetch(`${second.emulator.url}/v1/payment_pages/${session.id}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_snapshot", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ payment_method: "pm_card_visa", expected_amount: "2000" }).toString(),
    });
    expect(paid.status).toBe(200);
    expect((await second.stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
  });

  it("starts empty without a word when the file (and its folder) does not exist yet, then writes it", async () => {
    const file = path.join(directory, "not-created-yet", "stripe.json");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const first = await start(file);
    expect((await first.stripe.customers.list()).data).toEqual([]);
    const customer = await first.stripe.customers.create({ email: "first-run@example.com" });
    await stop(first.emulator);
    expect(warn).not.toHaveBeenCalled();
    expect(existsSync(file)).toBe(true);

    const second = await start(file);
    expect(await retrieveCustomerEmail(second.stripe, customer.id)).toBe("first-run@example.com");
  });

  it.each([
    ["truncated JSON", '{"customers": {"cus_1": {"id": "cus_1"'],
    ["JSON that is not an object", "[1, 2, 3]"],
  ])("starts empty with a warning and keeps the file aside when it holds %s", async (_label, corruptText) => {
    const file = path.join(directory, "stripe.json");
    writeFileSync(file, corruptText);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const started = await start(file);

    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(`Snapshot ${file} is corrupt`);
    expect(readFileSync(`${file}.corrupt`, "utf8")).toBe(corruptText);
    expect((await started.stripe.customers.list()).data).toEqual([]);

    // It works normally from there, and its next snapshot is a good one.
    const customer = await started.stripe.customers.create({ email: "after-corruption@example.com" });
    await stop(started.emulator);
    const restarted = await start(file);
    expect(await retrieveCustomerEmail(restarted.stripe, customer.id)).toBe("after-corruption@example.com");
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
