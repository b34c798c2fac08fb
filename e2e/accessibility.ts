// The accessibility scan behind e2e/accessibility.spec.ts (signed out and as a USER) and
// e2e/admin.accessibility.spec.ts (as the ADMIN). Pages are found on disk, every page.tsx under app/,
// so a page added later is scanned without anyone remembering to list it; a page with a dynamic
// segment needs a real id, which each spec resolves (and an unknown one fails the walk, loudly).
import { readdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { E2E_APP_URL, USER_STATE } from "./config";
import { payOnHostedCheckout } from "./helpers";

export interface PageRoute {
  /** The URL pattern, dynamic segments kept: "/admin/users/[id]". */
  route: string;
  /** The route groups the page sits in: ["(dashboard)"]. */
  groups: string[];
}

/** One axe violation (the type of @axe-core/playwright's results, without importing axe-core itself). */
type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

const GROUP = /^\(.*\)$/;

/** Every page of the app, from the page.tsx files under `root`. */
export function pageRoutes(root = "app"): PageRoute[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "page.tsx")
    .map((file) => {
      const segments = path
        .dirname(file)
        .split(path.sep)
        .filter((segment) => segment !== "." && segment !== "");
      return { route: `/${segments.filter((segment) => !GROUP.test(segment)).join("/")}`, groups: segments.filter((segment) => GROUP.test(segment)) };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

export function isDynamic(route: string): boolean {
  return route.includes("[");
}

/** The URL to scan for a dynamic route, or why it cannot be scanned in this run. */
export type Resolved = { url: string } | { skip: string };
export type IdResolvers = Record<string, (page: Page) => Promise<Resolved>>;

/** A dynamic route's URL from its resolver; a route nobody taught the walk fails, so it is never silently left out. */
export async function resolveRoute(route: string, resolvers: IdResolvers, page: Page): Promise<Resolved> {
  if (!isDynamic(route)) return { url: route };
  const resolve = resolvers[route];
  if (!resolve) throw new Error(`The accessibility walk found ${route} but has no way to fill its id: add a resolver for it in the spec.`);
  return resolve(page);
}

const BLOCKING_IMPACTS = new Set(["serious", "critical"]);

/**
 * Waits until the page is what a person would see: no requests in flight, fonts loaded, no region
 * marked busy (skeletons, streamed panels), and any recharts chart drawn (it renders after mount,
 * once its container has been measured). Animations are off (reduced motion), so nothing is mid-fade.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
  if ((await page.locator(".recharts-responsive-container, .recharts-wrapper").count()) > 0) {
    await expect(page.locator("svg.recharts-surface").first()).toBeVisible({ timeout: 10_000 });
  }
  // Each wait is bounded: headless Chromium on a loaded machine has once left a frame unpainted
  // for the whole test timeout (a CI run on /admin/users), and a missed frame is no reason to fail.
  await page.evaluate(async () => {
    const atMost = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.race([document.fonts.ready, atMost(5_000)]);
    await Promise.race([new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))), atMost(2_000)]);
  });
}

/** One violation as a line a person can act on: rule, impact, help, and each offending element's selector. */
export function describeViolation(violation: Violation): string {
  const targets = violation.nodes.map((node) => `    - ${node.target.join(" ")}${node.failureSummary ? `\n      ${node.failureSummary.replaceAll("\n", "\n      ")}` : ""}`);
  return [`${violation.id} (${violation.impact}): ${violation.help}`, `    ${violation.helpUrl}`, ...targets].join("\n");
}

/** The serious and critical axe violations on the page as it now stands, described. */
export async function blockingViolations(page: Page): Promise<string[]> {
  await settle(page);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? "")).map(describeViolation);
}

/** A phone's viewport (the issue's 390×844): tables that fit a desktop may scroll sideways here. */
const PHONE = { width: 390, height: 844 };

/**
 * Fails, listing each one, when the page has any serious or critical violation, at the test's own
 * viewport or at phone width.
 */
export async function expectNoBlockingViolations(page: Page, label: string): Promise<void> {
  const found: string[] = [];
  for (const [width, size] of [["desktop", page.viewportSize()], ["390 px", PHONE]] as const) {
    if (size) await page.setViewportSize(size);
    found.push(...(await blockingViolations(page)).map((violation) => `[${width}] ${violation}`));
  }
  if (found.length > 0) console.log(`\naxe: ${found.length} serious/critical on ${label} (${page.url()})\n${found.join("\n")}`);
  expect(found, `serious or critical accessibility violations on ${label}`).toEqual([]);
}

/** Opens a page for scanning: reduced motion, and the response checked so a scan of an error page is never mistaken for the page. */
export async function openForScan(page: Page, url: string, expectedStatus = 200): Promise<void> {
  await page.emulateMedia({ reducedMotion: "reduce" });
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(expectedStatus);
}

/**
 * Buys the Starter pack on /wallet with 4242… and returns the Checkout session's id, read from the
 * navigation back to the app (the wallet may tidy its query string away once it has read it).
 */
export async function buyStarterPack(page: Page): Promise<string> {
  let sessionId: string | null = null;
  const watch = (request: { isNavigationRequest(): boolean; url(): string }) => {
    const url = new URL(request.url());
    if (request.isNavigationRequest() && url.origin === new URL(E2E_APP_URL).origin) sessionId ??= url.searchParams.get("session_id");
  };
  page.on("request", watch);
  try {
    await page.goto("/wallet");
    await page.getByRole("button", { name: "Buy Starter pack for £5.00" }).click();
    await payOnHostedCheckout(page, "4242 4242 4242 4242");
    await expect.poll(() => sessionId, { message: "the return from Checkout to the app" }).toMatch(/^cs_test_/);
  } finally {
    page.off("request", watch);
  }
  return sessionId ?? "";
}

const DEMO_EMAIL = "demo@billfold.test";

/** The demo user's id, looked up as the ADMIN through the admin API. */
export async function demoUserId(request: APIRequestContext): Promise<string> {
  const response = await request.get(`/api/admin/users?q=${encodeURIComponent(DEMO_EMAIL)}`);
  expect(response.status()).toBe(200);
  const { users } = (await response.json()) as { users: Array<{ id: string; email: string }> };
  const demo = users.find((user) => user.email === DEMO_EMAIL);
  if (!demo) throw new Error(`${DEMO_EMAIL} is not in the admin's user list`);
  return demo.id;
}

/**
 * The admin pages with ids show the most when the demo user has a paid top-up (its refund form,
 * entries) and the webhook log has events: the demo user buys a Starter pack when it has none.
 * Run as the ADMIN (the request), buying as the USER (a context of its own).
 */
export async function ensureDemoUserPaidTopUp(browser: Browser, request: APIRequestContext): Promise<void> {
  const id = await demoUserId(request);
  const paid = async () =>
    ((await (await request.get(`/api/admin/users/${id}`)).json()) as { user: { purchases: Array<{ status: string }> } }).user.purchases.some(
      (purchase) => purchase.status === "paid",
    );
  if (await paid()) return;
  const context = await browser.newContext({ storageState: USER_STATE, baseURL: E2E_APP_URL });
  await buyStarterPack(await context.newPage());
  await context.close();
  await expect.poll(paid, { timeout: 15_000 }).toBe(true);
}

/** Real ids for the admin console's dynamic pages (the ADMIN's walks: axe and phone width). */
export const ADMIN_ID_RESOLVERS: IdResolvers = {
  "/admin/users/[id]": async (page: Page) => ({ url: `/admin/users/${await demoUserId(page.request)}` }),
  "/admin/webhooks/[id]": async (page: Page) => {
    const response = await page.request.get("/api/admin/webhooks/events?limit=1");
    const { events } = (await response.json()) as { events: Array<{ id: string }> };
    return events[0] ? { url: `/admin/webhooks/${events[0].id}` } : { skip: "the webhook log has no event to open" };
  },
};
