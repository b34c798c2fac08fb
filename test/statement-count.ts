// What a piece of work costs the database, in counts that do not depend on the machine: every
// statement any `pg` client in this process sends (Prisma's adapter and lib/core/db's pgPool both
// use `pg`), and every commit, the way PostgreSQL counts them (pg_stat_statements with
// track_utility, pg_stat_database's xact_commit): BEGIN and COMMIT are statements too, an explicit
// COMMIT is one commit, and a statement outside a transaction block commits on its own.
//
// The budget tests (lib/**/budget.test.ts) wrap a hot path in countStatements and assert exact
// numbers, so a change that adds a round trip to it fails a test instead of slipping by. Nothing
// else may talk to the database while it counts: the counter cannot tell whose statement it is. The
// one thing in the process that talks to it on its own, the email worker (lib/email/worker.ts), is
// held while a count runs (a drain under way first finishes), and drains after it if it was woken.
import pg from "pg";
import { holdEmailWorker } from "../lib/email/worker";

export interface StatementCount {
  statements: number;
  commits: number;
  /** Each statement's text, first line only, in the order sent: what a failing budget prints. */
  texts: string[];
}

type Query = (...args: unknown[]) => unknown;

let active: StatementCount | null = null;
const inTransaction = new WeakMap<pg.Client, boolean>();
const originalQuery = pg.Client.prototype.query as unknown as Query;
let patched = false;

function textOf(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (arg && typeof arg === "object" && "text" in arg && typeof arg.text === "string") return arg.text;
  return "";
}

function record(client: pg.Client, text: string): void {
  if (!active) return;
  const head = text.trim().split(/\s+/, 1)[0]?.toUpperCase() ?? "";
  active.statements += 1;
  active.texts.push(text.trim().split("\n", 1)[0]?.slice(0, 160) ?? "");
  if (head === "BEGIN" || head === "START") {
    inTransaction.set(client, true);
  } else if (head === "COMMIT" || head === "END") {
    inTransaction.set(client, false);
    active.commits += 1;
  } else if (head === "ROLLBACK" && !/^ROLLBACK\s+TO/i.test(text.trim())) {
    inTransaction.set(client, false);
  } else if (!inTransaction.get(client)) {
    active.commits += 1;
  }
}

function patch(): void {
  if (patched) return;
  patched = true;
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    const text = textOf(args[0]);
    // A transaction block is tracked per connection even while nothing counts, so a count that
    // starts between a BEGIN and its COMMIT still knows the statements in between commit nothing.
    const head = text.trim().split(/\s+/, 1)[0]?.toUpperCase() ?? "";
    if (active) record(this, text);
    else if (head === "BEGIN" || head === "START") inTransaction.set(this, true);
    else if (head === "COMMIT" || head === "END" || head === "ROLLBACK") inTransaction.set(this, false);
    return originalQuery.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/** Runs `work` and counts the statements and commits it sent (see above). Counts never overlap. */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; count: StatementCount }> {
  patch();
  if (active) throw new Error("countStatements calls may not overlap");
  const count: StatementCount = { statements: 0, commits: 0, texts: [] };
  const releaseEmailWorker = await holdEmailWorker();
  active = count;
  try {
    const result = await work();
    return { result, count };
  } finally {
    active = null;
    releaseEmailWorker();
  }
}
