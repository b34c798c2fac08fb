// Runs as the demo USER. Walks every admin page and every admin API the app has, found from the
// file system rather than listed by hand, so a page or route added later is covered without
// anyone remembering to add it here.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

const PAGES_ROOT = "app/(dashboard)/admin";
const API_ROOT = "app/api/admin";
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function filesNamed(root: string, name: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === name)
    .map((file) => path.join(root, file));
}

/** The URL of a page or route file, with every dynamic segment ([id]) filled with a made-up id. */
function urlOf(file: string, root: string, base: string): string {
  const segments = path
    .relative(root, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
    .map((segment) => (segment.startsWith("[") ? "no-such-id" : segment));
  return [base, ...segments].join("/");
}

const pages = filesNamed(PAGES_ROOT, "page.tsx").map((file) => urlOf(file, PAGES_ROOT, "/admin"));
const routes = filesNamed(API_ROOT, "route.ts").flatMap((file) => {
  const source = readFileSync(file, "utf8");
  const methods = HTTP_METHODS.filter((method) => new RegExp(`export (const|async function|function) ${method}\\b`).test(source));
  return methods.map((method) => ({ method, url: urlOf(file, API_ROOT, "/api/admin") }));
});

test("the walk finds the admin console's pages and APIs", () => {
  expect(pages).toEqual(expect.arrayContaining(["/admin", "/admin/entries", "/admin/users", "/admin/webhooks", "/admin/reconcile", "/admin/audit"]));
  expect(routes.map((route) => route.url)).toEqual(expect.arrayContaining(["/api/admin/entries", "/api/admin/webhooks/events", "/api/admin/users"]));
});

test("a USER gets 403 on every admin page", async ({ page }) => {
  for (const url of pages) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to that page" }), url).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Admin" }), url).toHaveCount(0);
  }
});

test("a USER gets 403 JSON from every admin API, whatever the method", async ({ page }) => {
  for (const { method, url } of routes) {
    const response = await page.request.fetch(url, { method, data: method === "GET" ? undefined : {}, maxRedirects: 0 });
    expect(response.status(), `${method} ${url}`).toBe(403);
    expect(await response.json(), `${method} ${url}`).toEqual({ error: { code: "forbidden", message: "You do not have access to this resource." } });
  }
});
