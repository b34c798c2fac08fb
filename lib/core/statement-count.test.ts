import { describe, expect, it } from "vitest";
import { db, pgPool } from "@/lib/core/db";
import { countStatements } from "@/test/statement-count";

// The counter the budget tests rely on: if it counted nothing, every budget would pass.
describe("countStatements", () => {
  it("counts a Prisma transaction as BEGIN, its statements and COMMIT, with one commit", async () => {
    const { count } = await countStatements(() => db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      await tx.$queryRaw`SELECT 2`;
    }));
    expect(count.statements).toBe(4);
    expect(count.commits).toBe(1);
    expect(count.texts[0]).toBe("BEGIN");
    expect(count.texts.at(-1)).toBe("COMMIT");
  });

  it("counts a statement outside a transaction block as a statement and a commit, through Prisma or pgPool", async () => {
    const { count } = await countStatements(async () => {
      await db().$queryRaw`SELECT 1`;
      await pgPool().query("SELECT 2");
    });
    expect(count).toMatchObject({ statements: 2, commits: 2 });
  });

  it("counts a rolled-back transaction's statements and no commit", async () => {
    const { count } = await countStatements(() => db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      throw new Error("rolled back");
    }).catch(() => undefined));
    expect(count).toMatchObject({ statements: 3, commits: 0 });
  });
});
