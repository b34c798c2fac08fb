import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { parseCsv } from "../test/csv-records";
import { E2E_APP_URL, USER_STATE } from "./config";
import { payOnHostedCheckout } from "./helpers";

// Runs as the ADMIN after the user specs. Those top up fresh users' wallets (other rows the filter must
// leave out); the demo user buys a pack here first, so its filter never comes back empty.
const DEMO_EMAIL = "demo@billfold.test";

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: USER_STATE, baseURL: E2E_APP_URL });
  const page = await context.newPage();
  await page.goto("/wallet");
  await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expect(page.getByTestId("checkout-status")).toContainText("Payment received", { timeout: 10_000 });
  await context.close();
});

interface ApiPage {
  entries: Array<{ id: string; email: string; amountMinor: number }>;
  nextCursor: string | null;
  totals?: Array<{ currency: string; count: number }>;
}

test("an admin filters entries by a user's email, and the CSV export and the JSON API match the filter", async ({ page }) => {
  await page.goto("/admin/entries");
  await expect(page.getByRole("heading", { name: "Entries", exact: true })).toBeVisible();
  // Typed in another case: the filter reads emails case-insensitively.
  await page.getByLabel("User email").fill("Demo@Billfold.test");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/email=Demo%40Billfold\.test/);

  const rows = page.getByTestId("entry-row");
  await expect(rows.first()).toBeVisible();
  const shownEmails = await page.getByTestId("entry-email").allTextContents();
  expect(shownEmails.length).toBeGreaterThan(0);
  expect(new Set(shownEmails)).toEqual(new Set([DEMO_EMAIL]));
  await expect(page.getByTestId("entry-totals")).toContainText(/\d+ entr(y|ies)/);

  // Every entry of the filter through the JSON API, page by page (small pages to exercise the cursor).
  const apiIds: string[] = [];
  let cursor: string | null = null;
  let totals: ApiPage["totals"];
  for (let pageNumber = 0; pageNumber < 200; pageNumber += 1) {
    const query = new URLSearchParams({ email: DEMO_EMAIL.toUpperCase(), limit: "5", ...(cursor ? { cursor } : { totals: "1" }) });
    const response = await page.request.get(`/api/admin/entries?${query}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as ApiPage;
    totals ??= body.totals;
    expect(body.entries.every((entry) => entry.email === DEMO_EMAIL)).toBe(true);
    apiIds.push(...body.entries.map((entry) => entry.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  expect(apiIds.length).toBeGreaterThan(0);
  expect(new Set(apiIds).size).toBe(apiIds.length);
  expect(totals?.reduce((sum, total) => sum + total.count, 0)).toBe(apiIds.length);
  // The page shows the first page of the same list.
  expect(await rows.count()).toBe(Math.min(apiIds.length, 50));
  // …and the filter really filters: unfiltered, other users' entries are there too.
  const unfiltered = (await (await page.request.get("/api/admin/entries?limit=500")).json()) as ApiPage;
  expect(unfiltered.entries.some((entry) => entry.email !== DEMO_EMAIL)).toBe(true);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^billfold-entries-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...records] = parseCsv(await readFile(await download.path(), "utf8"));
  const column = (name: string) => header?.indexOf(name) ?? -1;
  expect(column("Email")).toBeGreaterThanOrEqual(0);
  expect(records.every((record) => record[column("Email")] === DEMO_EMAIL)).toBe(true);
  expect(records.map((record) => record[column("Entry id")])).toEqual(apiIds);
  // Amounts are exact decimals of the integer column (GBP: two places).
  for (const record of records) {
    const minor = Number(record[column("Amount (minor units)")]);
    expect(record[column("Amount")]).toBe(`${minor < 0 ? "-" : ""}${Math.floor(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, "0")}`);
  }
});

test("bad filters are explained next to the form, keep what was typed, and the API answers 422", async ({ page }) => {
  await page.goto("/admin/entries?minAmount=12.345&email=demo%40billfold.test");
  await expect(page.getByRole("alert").filter({ hasText: "could not be read" })).toBeVisible();
  await expect(page.getByLabel(/Min amount/)).toHaveValue("12.345");
  await expect(page.getByLabel(/Min amount/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("User email")).toHaveValue("demo@billfold.test");
  await expect(page.getByTestId("entry-row")).toHaveCount(0);

  const response = await page.request.get("/api/admin/entries?type=BONUS");
  expect(response.status()).toBe(422);
  expect((await response.json()).error.code).toBe("validation_error");
  const unknown = await page.request.get("/api/admin/entries?email=nobody-at-all%40example.test");
  expect(await unknown.json()).toEqual({ entries: [], nextCursor: null });

  await page.goto("/admin/entries?email=nobody-at-all%40example.test");
  await expect(page.getByText("No entries match these filters")).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: "Clear filters" }).last().click();
  await expect(page).toHaveURL(/\/admin\/entries$/);
});

test("the old addresses still work: the page redirects with its filter, and the API answers as the new one", async ({ page }) => {
  await page.goto(`/admin/transactions?email=${encodeURIComponent(DEMO_EMAIL)}`); // old name, kept
  await expect(page).toHaveURL(`/admin/entries?email=${encodeURIComponent(DEMO_EMAIL)}`);
  await expect(page.getByLabel("User email")).toHaveValue(DEMO_EMAIL);

  const query = `email=${encodeURIComponent(DEMO_EMAIL)}&limit=5&totals=1`;
  const [current, old] = await Promise.all([page.request.get(`/api/admin/entries?${query}`), page.request.get(`/api/admin/transactions?${query}`)]); // old name, kept
  expect(old.status()).toBe(200);
  expect(await old.json()).toEqual(await current.json());
});
