import { mkdir, readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { formatDateTime } from "../lib/core/format";
import { ENTRY_LABELS } from "../lib/ledger/labels";
import { decimalStringToMinor, formatMoney } from "../lib/core/money";
import { parseCsv } from "../test/csv-records";
import { E2E_STRIPE_URL, USER_STATE } from "./config";
import { payOnHostedCheckout, signUpFreshUser } from "./helpers";

// The wallet's statement and entries as a person uses them, in Chromium against the production
// build: filters, the CSV download equal to the filtered table row for row, the balance chart drawn
// under the production CSP, and the entry list on a phone-sized screen. Each test signs up its own user.

const CHECKOUT_URL = new RegExp(`^${E2E_STRIPE_URL}/checkout/cs_test_`);
const SYNCED = { timeout: 15_000 };
const SCREENSHOTS = "test-results/screenshots";

/** Today's date in UTC as the date inputs take it, and a day from it. */
const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Content-Security-Policy violations on /wallet: the browser's console errors about the policy and
 * its securitypolicyviolation events (which also catch what a script tried and recovered from).
 */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation on ${location.pathname}: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample}`),
    );
  });
  page.on("console", (message) => {
    const onWallet = new URL(page.url()).pathname === "/wallet";
    if (message.type() === "error" && /content security policy|csp violation/i.test(message.text())) console.log(`[${page.url()}] ${message.text()}`);
    if (onWallet && message.type() === "error" && /content security policy|csp violation/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** From /billing: upgrade to Pro with 4242… and wait for the plan (and its £10.00 plan credit). */
async function subscribeToPro(page: Page) {
  await page.goto("/billing");
  await page.getByRole("button", { name: /^Upgrade to Pro/ }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expect(page.getByTestId("current-plan")).toHaveText("Pro", SYNCED);
  await expect(page.getByTestId("plan-credit-this-period")).toContainText("£10.00", SYNCED);
}

/** From /wallet: buy the Starter pack (£5.00) with 4242… and wait for the credit. */
async function buyStarterPack(page: Page, balanceAfter: string) {
  await page.goto("/wallet");
  await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
  await expect(page).toHaveURL(CHECKOUT_URL);
  await payOnHostedCheckout(page, "4242 4242 4242 4242");
  await expect(page.getByTestId("wallet-balance")).toHaveText(balanceAfter, SYNCED);
}

/** Presses the demo Spend button (£0.50) and waits for the balance to drop to `balanceAfter`. */
async function spend(page: Page, balanceAfter: string) {
  await page.getByRole("button", { name: /^Spend .* \(demo\)$/ }).click();
  await expect(page.getByTestId("wallet-balance")).toHaveText(balanceAfter);
}

interface TableRow {
  at: string;
  shownAt: string;
  type: string;
  description: string;
  amount: string;
  balance: string;
  reference: string;
}

/** The entry table's rows as shown (desktop layout). */
async function tableRows(page: Page): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for (const row of await page.getByTestId("ledger-row").all()) {
    const cells = row.locator("td");
    rows.push({
      at: (await row.locator("time").getAttribute("datetime")) ?? "",
      shownAt: await cells.nth(0).innerText(),
      type: await cells.nth(1).innerText(),
      description: await cells.nth(2).innerText(),
      amount: await cells.nth(3).innerText(),
      balance: await cells.nth(4).innerText(),
      reference: await cells.nth(5).innerText(),
    });
  }
  return rows;
}

/** Clicks "Download CSV" and reads the file back as records (header first). */
async function downloadCsv(page: Page): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^billfold-statement-\d{4}-\d{2}-\d{2}\.csv$/);
  return parseCsv(await readFile(await download.path(), "utf8"));
}

/** The CSV's rows against the table's, one for one: date, type, description, amount and balance (and the reference). */
function expectSameRows(csv: string[][], table: TableRow[]) {
  const [header, ...records] = csv;
  expect(header).toEqual(["Date (UTC)", "Type", "Description", "Amount", "Balance after", "Currency", "Reference"]);
  expect(records.length).toBe(table.length);
  const money = (decimal: string | undefined) => {
    const minor = decimalStringToMinor(decimal ?? "", "GBP");
    if (minor === null) throw new Error(`not an amount: ${decimal}`);
    return minor;
  };
  const fromCsv = records.map(([at = "", type = "", description = "", amount, balance, currency, reference = ""]) => {
    const amountMinor = money(amount);
    expect(currency).toBe("GBP");
    return {
      at,
      shownAt: formatDateTime(new Date(at)),
      type,
      description: description || "—",
      amount: `${amountMinor > 0 ? "+" : ""}${formatMoney(amountMinor, "GBP")}`,
      balance: formatMoney(money(balance), "GBP"),
      reference,
    };
  });
  expect(fromCsv.map(({ reference: _reference, ...row }) => row)).toEqual(table.map(({ reference: _reference, ...row }) => row));
  // The table shows a reference with what it is ("Payment pi_…"); the file has the id.
  fromCsv.forEach((row, index) => expect(table[index]?.reference ?? "").toContain(row.reference || "—"));
}

/** An axe scan of the page as it is now: nothing serious or critical (the wallet's entry list, filters and chart included). */
async function expectNoSeriousAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function submitFilters(page: Page, values: { type?: string; from?: string; to?: string }) {
  const form = page.getByRole("form", { name: "Filter entries" });
  if (values.type !== undefined) await form.getByLabel("Type").selectOption(values.type === "" ? "" : { label: values.type });
  if (values.from !== undefined) await form.getByLabel("From").fill(values.from);
  if (values.to !== undefined) await form.getByLabel("To").fill(values.to);
  await form.getByRole("button", { name: "Filter" }).click();
}

test.describe("the wallet statement", () => {
  test("filters by type and date, and Download CSV gives exactly the filtered rows; the chart draws under the CSP", async ({ page }) => {
    test.setTimeout(120_000);
    const violations = await watchCsp(page);
    await signUpFreshUser(page, "statement-csv");
    await subscribeToPro(page); // Plan credit +£10.00
    await buyStarterPack(page, "£15.00"); // Top-up +£5.00
    await spend(page, "£14.50"); // Usage -£0.50
    await spend(page, "£14.00");
    await buyStarterPack(page, "£19.00");
    await spend(page, "£18.50");

    await page.goto("/wallet");
    await expect(page.getByTestId("ledger-row")).toHaveCount(6);
    const everything = await tableRows(page);
    expect(everything.map((row) => row.type)).toEqual(["Usage", "Top-up", "Usage", "Usage", "Top-up", "Plan credit"]);
    expect(everything.map((row) => row.amount)).toEqual(["-£0.50", "+£5.00", "-£0.50", "-£0.50", "+£5.00", "+£10.00"]);
    expect(everything[1]?.reference).toMatch(/^Payment pi_|^Checkout cs_/);
    expectSameRows(await downloadCsv(page), everything);

    // By type: the URL carries the filter, the inputs keep it, the download follows it. The filtered
    // page is held back a moment: meanwhile the button says it is working and takes no second press.
    await page.route(/\/wallet\?type=USAGE/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await submitFilters(page, { type: ENTRY_LABELS.USAGE });
    const filtering = page.getByRole("form", { name: "Filter entries" }).getByRole("button", { name: "Filtering…" });
    await expect(filtering).toBeDisabled();
    await expect(filtering).toHaveAttribute("aria-busy", "true");
    await expect(page).toHaveURL(/\/wallet\?type=USAGE$/);
    await page.unroute(/\/wallet\?type=USAGE/);
    await expect(page.getByTestId("ledger-row")).toHaveCount(3);
    await expect(page.getByRole("form", { name: "Filter entries" }).getByLabel("Type")).toHaveValue("USAGE");
    const usage = await tableRows(page);
    expect(usage.every((row) => row.type === "Usage")).toBe(true);
    expectSameRows(await downloadCsv(page), usage);

    // By type and today's date (UTC), both days included.
    await submitFilters(page, { type: ENTRY_LABELS.TOPUP, from: utcDay(), to: utcDay() });
    await expect(page).toHaveURL(new RegExp(`/wallet\\?type=TOPUP&from=${utcDay()}&to=${utcDay()}$`));
    await expect(page.getByTestId("ledger-row")).toHaveCount(2);
    const topUpsToday = await tableRows(page);
    expect(topUpsToday.map((row) => row.amount)).toEqual(["+£5.00", "+£5.00"]);
    expectSameRows(await downloadCsv(page), topUpsToday);
    await page.screenshot({ path: `${SCREENSHOTS}/wallet-filtered.png`, fullPage: true });

    // A range that matches nothing says so (not "no entries yet"), and its CSV is the header alone.
    await submitFilters(page, { type: "", from: utcDay(1), to: utcDay(2) });
    await expect(page.getByText("No entries match these filters")).toBeVisible();
    await expect(page.getByText("No entries yet")).toHaveCount(0);
    expect(await downloadCsv(page)).toEqual([["Date (UTC)", "Type", "Description", "Amount", "Balance after", "Currency", "Reference"]]);

    // An end before the start: the error sits at "To", tied to it, with what was typed kept.
    await submitFilters(page, { from: utcDay(), to: utcDay(-1) });
    const to = page.getByRole("form", { name: "Filter entries" }).getByLabel("To");
    await expect(to).toHaveAttribute("aria-invalid", "true");
    const errorId = (await to.getAttribute("aria-describedby"))?.split(" ")[0] ?? "";
    await expect(page.locator(`[id="${errorId}"]`)).toHaveText("The end date must not be before the start date.");
    await expect(to).toHaveValue(utcDay(-1));
    await expect(page.getByRole("form", { name: "Filter entries" }).getByLabel("From")).toHaveValue(utcDay());
    await expect(page.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
    await expectNoSeriousAxeViolations(page);

    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/wallet(#entries-heading)?$/);
    await expect(page.getByTestId("ledger-row")).toHaveCount(6);
    await expect(page.getByRole("form", { name: "Filter entries" }).getByLabel("To")).toHaveValue("");

    // The chart: drawn in the browser with axes and a tooltip, and a summary in words.
    await expect(page.getByTestId("balance-chart-summary")).toContainText("Your last 6 balance changes");
    await expect(page.getByTestId("balance-chart-summary")).toContainText("£18.50 now");
    const plot = page.getByTestId("balance-chart-plot");
    await expect(plot.locator("svg.recharts-surface")).toBeVisible();
    // Recharts draws tick labels in a layer of their own, named after their axis.
    await expect(plot.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").first()).toHaveText(/^£\d+\.\d\d$/);
    await expect(plot.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value").first()).toBeVisible();
    const box = await plot.boundingBox();
    if (!box) throw new Error("the chart has no box");
    await page.mouse.move(box.x + box.width - 30, box.y + box.height / 2);
    await expect(plot.locator(".recharts-tooltip-wrapper")).toContainText(/UTC.*£\d+\.\d\d/s);
    await page.getByText("Show the figures").click();
    await expect(page.getByRole("table", { name: "Balance after each change, oldest first" }).locator("tbody tr")).toHaveCount(6);
    await expectNoSeriousAxeViolations(page);

    await page.setViewportSize({ width: 1280, height: 900 });
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}/wallet-desktop.png`, fullPage: true });
    expect(violations).toEqual([]);
  });

  test("at 390×844 the newest entry's amount is on screen after scrolling to the entry list, with no sideways scroll", async ({ page }) => {
    test.setTimeout(90_000);
    const violations = await watchCsp(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await signUpFreshUser(page, "statement-mobile");
    await buyStarterPack(page, "£5.00");
    await spend(page, "£4.50");
    await buyStarterPack(page, "£9.50");
    await spend(page, "£9.00");

    await page.goto("/wallet");
    await expect(page.getByTestId("balance-chart-plot").locator("svg.recharts-surface")).toBeVisible();
    await page.getByRole("heading", { name: "Entries" }).scrollIntoViewIfNeeded();
    const newest: Locator = page.getByTestId("ledger-card").first();
    await newest.scrollIntoViewIfNeeded();
    await expect(newest.getByTestId("ledger-amount")).toHaveText("-£0.50");
    await expect(newest.getByTestId("ledger-amount")).toBeInViewport();
    await expect(newest).toContainText("Balance after");
    await expect(newest).toContainText("£9.00");
    // The table is for wider screens; below `sm` each entry is a card.
    await expect(page.getByTestId("ledger-row").first()).toBeHidden();
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await expectNoSeriousAxeViolations(page);

    await page.evaluate(() => window.scrollTo(0, 0));
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}/wallet-mobile.png`, fullPage: true });
    expect(violations).toEqual([]);
  });

  test("while /wallet loads, skeletons stand in for the balance, chart and entries, and say so to screen readers", async ({ browser }) => {
    // The page streams behind app/(dashboard)/wallet/(overview)/loading.tsx, which a script swaps for the page
    // when its data has arrived; with scripts off the loading state stays, so it can be looked at.
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: USER_STATE });
    try {
      const page = await context.newPage();
      await page.goto("/wallet");
      const loading = page.locator('[aria-busy="true"]');
      await expect(loading.getByRole("status")).toHaveText("Loading wallet…");
      for (const part of ["balance", "chart", "entries"]) await expect(loading.getByTestId(`wallet-skeleton-${part}`)).toBeVisible();
      await page.screenshot({ path: `${SCREENSHOTS}/wallet-loading.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
