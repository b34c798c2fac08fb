import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_STRIPE_URL } from "./config";
import { checkoutSessionIdIn, payOnHostedCheckout } from "./helpers";

// The webhook console as an admin sees it: an event made to fail by the e2e server's test hook
// (lib/tooling/test-hooks.ts), then "fixed", replayed from /admin/webhooks and applied exactly once.

test.use({ viewport: { width: 1280, height: 900 } });

// Every handler that could credit a card top-up: with any of them working, the "failed" event would have nothing left to do.
// (charge.succeeded is handled too, but only copies the receipt details onto the purchase: it never credits.)
const CREDITING_TYPES = ["checkout.session.completed", "payment_intent.succeeded"];

interface ListedEvent {
  id: string;
  stripeEventId: string;
  type: string;
  status: string;
}

async function setHandlerFailure(request: APIRequestContext, method: "POST" | "DELETE", type: string) {
  const response = await request.fetch("/api/test-hooks/webhook-failures", { method, data: { type } });
  expect(response.status(), `test hook ${method} ${type}`).toBe(200);
}

/** The stored event of this type whose object is `objectId` (read through the admin API, payload included). */
async function storedEventFor(request: APIRequestContext, type: string, objectId: string): Promise<ListedEvent | undefined> {
  const list = await (await request.get(`/api/admin/webhooks/events?type=${type}&limit=50`)).json();
  for (const event of list.events as ListedEvent[]) {
    const detail = await (await request.get(`/api/admin/webhooks/events/${event.id}`)).json();
    if (detail.event.payload?.data?.object?.id === objectId) return { ...event, status: detail.event.status };
  }
  return undefined;
}

/**
 * The emulator redelivers a failed event with backoff (sped up for e2e), and a redelivery after the
 * fix would process it before the admin's click. Wait until the next redelivery of each of these
 * events is at least `marginMs` away, so the replay is the admin's.
 */
async function waitForQuietRedeliveries(stripeEventIds: string[], marginMs = 9_000) {
  await expect
    .poll(
      async () => {
        const deliveries = (await (await fetch(`${E2E_STRIPE_URL}/_emulator/deliveries`)).json()).data as Array<{ eventId: string; state: string; nextAttemptAt: string | null }>;
        const ours = deliveries.filter((delivery) => stripeEventIds.includes(delivery.eventId));
        return ours.length > 0 && ours.every((delivery) => delivery.state === "retrying" && delivery.nextAttemptAt !== null && Date.parse(delivery.nextAttemptAt) - Date.now() > marginMs);
      },
      { timeout: 30_000, intervals: [250] },
    )
    .toBe(true);
}

async function balanceMinor(page: Page): Promise<number> {
  await page.goto("/wallet");
  const text = (await page.getByTestId("wallet-balance").textContent()) ?? "";
  return Math.round(Number(text.replace(/[^0-9.-]/g, "")) * 100);
}

test("an admin replays a failed top-up event after the fix, and it is applied exactly once", async ({ page }) => {
  test.setTimeout(120_000);
  const request = page.request;
  for (const type of CREDITING_TYPES) await setHandlerFailure(request, "POST", type);
  try {
    const before = await balanceMinor(page);
    await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
    await expect(page).toHaveURL(new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`));
    const sessionId = checkoutSessionIdIn(page.url());
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    await expect(page.getByTestId("checkout-status")).toBeVisible();

    // Both crediting events arrive and fail; the balance stays as it was.
    let sessionEvent: ListedEvent | undefined;
    await expect.poll(async () => (sessionEvent = await storedEventFor(request, "checkout.session.completed", sessionId))?.status, { timeout: 15_000 }).toBe("failed");
    if (!sessionEvent) throw new Error("unreachable");
    const sessionPayload = (await (await request.get(`/api/admin/webhooks/events/${sessionEvent.id}`)).json()).event.payload;
    const paymentIntentId: string = sessionPayload.data.object.payment_intent;
    let intentEvent: ListedEvent | undefined;
    await expect.poll(async () => (intentEvent = await storedEventFor(request, "payment_intent.succeeded", paymentIntentId))?.status, { timeout: 15_000 }).toBe("failed");
    if (!intentEvent) throw new Error("unreachable");
    expect(await balanceMinor(page)).toBe(before);

    // The admin finds it among the failed events, its error wrapped in full and its id unclipped at 1280 px.
    await page.goto("/admin/webhooks?status=failed&type=checkout.session.completed");
    const row = page.getByTestId("webhook-event-row").filter({ hasText: sessionEvent.stripeEventId });
    await expect(row).toContainText("failed");
    await expect(row).toContainText("InjectedWebhookFailure: test hook: the handler for checkout.session.completed fails on purpose");
    const idLink = row.getByRole("link", { name: sessionEvent.stripeEventId });
    const box = await idLink.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(1280);

    // Fixed: the hook goes off; then the admin replays before Stripe's next redelivery.
    await waitForQuietRedeliveries([sessionEvent.stripeEventId, intentEvent.stripeEventId]);
    for (const type of CREDITING_TYPES) await setHandlerFailure(request, "DELETE", type);
    await row.getByRole("button", { name: `Replay ${sessionEvent.stripeEventId}` }).click();

    // Processed, once: the replay lands on the event's page, processed with no replay offered; a scripted replay is refused.
    await expect(page).toHaveURL(new RegExp(`/admin/webhooks/${sessionEvent.id}\\?replayed=processed$`));
    await expect(page.getByRole("status").filter({ hasText: "Replayed: the event is processed." })).toBeVisible();
    await expect(page.getByTestId("event-status")).toHaveText("processed");
    await expect(page.getByTestId("event-payload")).toContainText(`"id": "${sessionId}"`);
    await expect(page.getByRole("button", { name: /^Replay/ })).toHaveCount(0);
    const again = await request.post(`/api/admin/webhooks/events/${sessionEvent.id}/replay`);
    expect(again.status()).toBe(409);
    expect((await again.json()).error.code).toBe("not_retryable");

    // The other crediting event, replayed too (by script), finds the top-up already credited.
    const intentReplay = await request.post(`/api/admin/webhooks/events/${intentEvent.id}/replay`);
    if (intentReplay.status() !== 409) expect((await intentReplay.json()).replay.outcome).toBe("processed"); // 409: a redelivery got there first

    expect(await balanceMinor(page)).toBe(before + 500); // +£5.00, once

    // Audited.
    await page.goto("/admin/audit?action=REPLAY");
    await expect(page.getByTestId("audit-row").filter({ hasText: sessionEvent.stripeEventId }).getByTestId("audit-summary")).toContainText(": processed");
  } finally {
    for (const type of CREDITING_TYPES) await request.fetch("/api/test-hooks/webhook-failures", { method: "DELETE", data: { type } });
  }
});

test("the event log filters, hides ignored events, pages, and 404s an unknown event", async ({ page }) => {
  await page.goto("/admin/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
  await expect(page.getByTestId("webhook-success-rate")).toHaveText(/%|—/);
  await page.getByRole("link", { name: "Hide ignored events" }).click();
  await expect(page).toHaveURL(/hideIgnored=1/);
  await expect(page.getByLabel("Hide ignored")).toBeChecked();
  await expect(page.locator('[data-testid="webhook-event-row"][data-status="ignored"]')).toHaveCount(0);

  await page.getByLabel("Type (exact, or a prefix ending in “.”)").fill("checkout.");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/type=checkout\./);
  const types = await page.getByTestId("webhook-event-row").locator("td:nth-child(2) > div").allTextContents();
  expect(types.length).toBeGreaterThan(0);
  expect(types.every((type) => type.startsWith("checkout."))).toBe(true);

  // A bad filter is reported and kept in the form, not turned into an error page.
  await page.goto("/admin/webhooks?type=%3Cb%3E");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Type:");
  await expect(page.getByLabel("Type (exact, or a prefix ending in “.”)")).toHaveValue("<b>");

  const missing = await page.goto("/admin/webhooks/no-such-event");
  expect(missing?.status()).toBe(404);
  expect((await page.request.get("/api/admin/webhooks/events?limit=0")).status()).toBe(422);
});
