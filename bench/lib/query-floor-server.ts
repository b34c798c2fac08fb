// The read floor for bench/admin.ts: what a page of data costs with nothing but node:http and plain
// `pg` (a Pool of 10 connections, as the app's pools). GET /<scenario> runs that scenario's
// statements (the exact SQL and parameters the app ran for the same request, captured by
// ./statement-log.ts) one after the other, as the app does, and answers their rows as JSON with
// the same serialisation (JSON.stringify of the row objects: dates as ISO strings). No session:
// the floor has no auth. Scenarios come in BENCH_FLOOR_SCENARIOS as JSON { name: statements }.
import http from "node:http";
import pg from "pg";
import type { CapturedStatement } from "./statement-log";
import { serveToParent } from "./serve-to-parent";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is required");
const scenarios = new Map(Object.entries(JSON.parse(process.env.BENCH_FLOOR_SCENARIOS ?? "{}") as Record<string, CapturedStatement[]>));
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, application_name: "billfold-bench-floor" });

async function answer(name: string): Promise<{ status: number; body: string }> {
  const statements = scenarios.get(name);
  if (!statements) return { status: 404, body: JSON.stringify({ error: "not_found" }) };
  const results: unknown[][] = [];
  for (const statement of statements) results.push((await pool.query(statement.sql, statement.params)).rows);
  // The app answers one object holding the page; the rows of the last statement are the page.
  const page = results.at(-1) ?? [];
  return { status: 200, body: JSON.stringify({ entries: page, nextCursor: null, lookups: results.slice(0, -1) }) };
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    answer((req.url ?? "/").slice(1))
      .catch((error: unknown) => {
        console.error("floor:", error instanceof Error ? error.message : error);
        return { status: 500, body: JSON.stringify({ error: "internal" }) };
      })
      .then(({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body);
      });
  });
});

serveToParent(server, pool);
