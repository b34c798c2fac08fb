import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseCsv } from "@/test/csv-records";
import { db, pgPool } from "../core/db";
import type { LedgerEntryType } from "../generated/prisma/enums";
import { minorToDecimalString } from "../core/money";
import { walletEntryFilterSchema } from "../validations/wallet-entries";
import { ENTRY_LABELS } from "./labels";
import { credit, debit } from "./ledger";
import { getWalletView, walletEntryBatches, type LedgerEntryView, type WalletEntryFilter } from "./queries";
import { STATEMENT_HEADER, statementCsvStream } from "./statement";

// The wallet entry list's filtered keyset pages and the streamed statement, against the real Postgres:
// the same filter selects the same entries in the same order in both, from the user's own wallet only.

const CURRENCY = "GBP";
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const MARCH_10 = Date.UTC(2031, 2, 10); // 10 Mar 2031, 00:00 UTC

interface Move {
  type: LedgerEntryType;
  /** Signed: positive credits, negative debits. */
  amountMinor: number;
  at: number;
  description?: string;
  reference?: string;
}

async function newUser(prefix: string) {
  return db().user.create({ data: { email: `${prefix}-${randomUUID()}@example.test` } });
}

/** Writes the moves through the ledger, in order, then puts each entry at its own instant. */
async function record(userId: string, moves: Move[]): Promise<string[]> {
  const ids: string[] = [];
  for (const move of moves) {
    const options = {
      userId,
      currency: CURRENCY,
      amountMinor: Math.abs(move.amountMinor),
      idempotencyKey: `entries-test:${randomUUID()}`,
      description: move.description ?? null,
      stripeObjectId: move.reference ?? null,
    };
    const { entry } = await db().$transaction((tx) =>
      move.amountMinor > 0 ? credit(tx, { ...options, type: move.type as "TOPUP" }) : debit(tx, { ...options, type: move.type as "USAGE" }),
    );
    await db().ledgerEntry.update({ where: { id: entry.id }, data: { createdAt: new Date(move.at) } });
    ids.push(entry.id);
  }
  return ids;
}

/** Days as the form sends them, read by the one schema the page and the routes use. */
const filterOf = (query: Record<string, string>): WalletEntryFilter => walletEntryFilterSchema.parse(query);

const alice = { id: "", ids: [] as string[] };
const bob = { id: "" };
// Alice's moves, oldest first; two share an instant (ties go by id, newest first means larger id first).
const MOVES: Move[] = [
  { type: "TOPUP", amountMinor: 1000, at: MARCH_10 - 1, description: "Starter credit pack", reference: "pi_history_1" }, // +£10.00, 9 Mar 23:59:59.999
  { type: "USAGE", amountMinor: -5, at: MARCH_10, description: "Demo usage" }, // -£0.05, 10 Mar 00:00
  { type: "USAGE", amountMinor: -125, at: MARCH_10 + 12 * HOUR, description: "Demo usage" }, // -£1.25
  { type: "PLAN_GRANT", amountMinor: 1000, at: MARCH_10 + 12 * HOUR, description: "Pro plan credit", reference: "in_history_1" }, // +£10.00, same instant
  { type: "REFUND", amountMinor: -250, at: MARCH_10 + DAY - 1, description: "Refund", reference: "re_history_1" }, // -£2.50, 10 Mar 23:59:59.999
  { type: "USAGE", amountMinor: -1, at: MARCH_10 + DAY, description: "Demo usage" }, // -£0.01, 11 Mar 00:00
  { type: "ADJUSTMENT", amountMinor: 1234, at: MARCH_10 + 2 * DAY, description: "Goodwill" }, // +£12.34
];

/** Alice's entries the predicate keeps, in the entry list's order: newest first, ties by id descending. */
function expected(predicate: (move: Move) => boolean): string[] {
  return MOVES.map((move, index) => ({ move, id: alice.ids[index] ?? "" }))
    .filter(({ move }) => predicate(move))
    .sort((a, b) => b.move.at - a.move.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map(({ id }) => id);
}

const ids = (entries: LedgerEntryView[]) => entries.map((entry) => entry.id);

/** Whether the filter selects the move: what the SQL should do, said in JavaScript. */
const selects = (filter: WalletEntryFilter) => (move: Move) =>
  (!filter.type || move.type === filter.type) && (!filter.from || move.at >= filter.from.getTime()) && (!filter.to || move.at < filter.to.getTime());

async function everyPage(userId: string, filter: WalletEntryFilter, take: number): Promise<LedgerEntryView[]> {
  const all: LedgerEntryView[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await getWalletView(userId, CURRENCY, { take, cursor, filter });
    all.push(...page.entries);
    if (!page.nextCursor) return all;
    cursor = page.nextCursor;
  }
  throw new Error("never reached the last page");
}

beforeAll(async () => {
  alice.id = (await newUser("entries-alice")).id;
  bob.id = (await newUser("entries-bob")).id;
  alice.ids = await record(alice.id, MOVES);
  // Bob's entries sit on the same days: no filter may let them into Alice's entry list.
  await record(bob.id, [
    { type: "TOPUP", amountMinor: 500, at: MARCH_10 + HOUR }, // £5.00
    { type: "USAGE", amountMinor: -5, at: MARCH_10 + 2 * HOUR }, // 5p
  ]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("getWalletView filters", () => {
  it("lists every entry of the user's wallet newest first, ties broken by id, with the balance", async () => {
    const view = await getWalletView(alice.id, CURRENCY, { take: 50 });
    expect(view.balanceMinor).toBe(2853); // £28.53
    expect(ids(view.entries)).toEqual(expected(() => true));
    expect(view.entries[0]).toMatchObject({ type: "ADJUSTMENT", amountMinor: 1234, balanceAfterMinor: 2853, description: "Goodwill", stripeObjectId: null });
    expect(view.entries[0]?.createdAt.toISOString()).toBe("2031-03-12T00:00:00.000Z");
  });

  it("filters by type", async () => {
    const view = await getWalletView(alice.id, CURRENCY, { take: 50, filter: filterOf({ type: "USAGE" }) });
    expect(ids(view.entries)).toEqual(expected((move) => move.type === "USAGE"));
    expect(view.entries.map((entry) => entry.amountMinor)).toEqual([-1, -125, -5]);
  });

  it("takes from and to as whole UTC days, both included, to the millisecond", async () => {
    const tenth = await getWalletView(alice.id, CURRENCY, { take: 50, filter: filterOf({ from: "2031-03-10", to: "2031-03-10" }) });
    // 00:00:00.000 to 23:59:59.999 on the 10th, not the top-up a millisecond before nor the usage at midnight after.
    expect(ids(tenth.entries)).toEqual(expected((move) => move.at >= MARCH_10 && move.at < MARCH_10 + DAY));
    expect(tenth.entries).toHaveLength(4);
    expect(ids((await getWalletView(alice.id, CURRENCY, { take: 50, filter: filterOf({ from: "2031-03-11" }) })).entries)).toEqual(expected((move) => move.at >= MARCH_10 + DAY));
    expect(ids((await getWalletView(alice.id, CURRENCY, { take: 50, filter: filterOf({ to: "2031-03-09" }) })).entries)).toEqual(expected((move) => move.at < MARCH_10));
  });

  it("combines type and dates, and finds nothing where nothing matches", async () => {
    const usageOnTheTenth = await getWalletView(alice.id, CURRENCY, { take: 50, filter: filterOf({ type: "USAGE", from: "2031-03-10", to: "2031-03-10" }) });
    expect(usageOnTheTenth.entries.map((entry) => entry.amountMinor)).toEqual([-125, -5]);
    const none = await getWalletView(alice.id, CURRENCY, { take: 50, filter: filterOf({ type: "DISPUTE_HOLD" }) });
    expect(none).toMatchObject({ entries: [], nextCursor: null, balanceMinor: 2853 });
  });

  it("pages through a filter once, in order, across the tie, with any page size, ending with a null cursor", async () => {
    for (const filter of [{}, filterOf({ from: "2031-03-10", to: "2031-03-11" }), filterOf({ type: "USAGE" })]) {
      for (const take of [1, 2, 3]) expect(ids(await everyPage(alice.id, filter, take))).toEqual(expected(selects(filter)));
    }
    const exact = await getWalletView(alice.id, CURRENCY, { take: 3, filter: filterOf({ type: "USAGE" }) });
    expect(exact.nextCursor).toBeNull();
  });

  it("never shows another wallet's entries, and a cursor from another wallet pages through nothing", async () => {
    const bobs = await getWalletView(bob.id, CURRENCY, { take: 50, filter: filterOf({ from: "2031-03-10", to: "2031-03-10" }) });
    expect(bobs.entries.map((entry) => entry.amountMinor)).toEqual([-5, 500]);
    const foreign = await getWalletView(alice.id, CURRENCY, { take: 50, cursor: bobs.entries[0]?.id });
    expect(foreign.entries).toEqual([]);
  });

  it("reads a wallet not yet created as empty", async () => {
    const nobody = await newUser("entries-nobody");
    expect(await getWalletView(nobody.id, CURRENCY, { take: 20, filter: filterOf({ type: "USAGE" }) })).toEqual({ currency: CURRENCY, balanceMinor: 0, entries: [], nextCursor: null });
  });
});

describe("the statement", () => {
  it("has exactly the filtered entry list's rows, in its order, amounts exact in major units", async () => {
    const queries: Array<Record<string, string>> = [{}, { type: "USAGE" }, { from: "2031-03-10", to: "2031-03-10" }, { type: "USAGE", from: "2031-03-11" }];
    for (const query of queries) {
      const filter = filterOf(query);
      const table = await everyPage(alice.id, filter, 2);
      const [header, ...rows] = parseCsv(await new Response(statementCsvStream(alice.id, CURRENCY, filter)).text());
      expect(header).toEqual([...STATEMENT_HEADER]);
      expect(rows.length, JSON.stringify(query)).toBe(MOVES.filter(selects(filter)).length);
      expect(rows, JSON.stringify(query)).toEqual(
        table.map((entry) => [
          entry.createdAt.toISOString(),
          ENTRY_LABELS[entry.type],
          entry.description,
          minorToDecimalString(entry.amountMinor, CURRENCY),
          minorToDecimalString(entry.balanceAfterMinor, CURRENCY),
          "GBP",
          entry.stripeObjectId ?? "",
        ]),
      );
    }
    // Amount and balance after of each move, written from the integers, never through a float.
    const decimals: Record<string, [string, string]> = Object.fromEntries(
      [
        ["10.00", "10.00"],
        ["-0.05", "9.95"],
        ["-1.25", "8.70"],
        ["10.00", "18.70"],
        ["-2.50", "16.20"],
        ["-0.01", "16.19"],
        ["12.34", "28.53"],
      ].map((pair, index) => [alice.ids[index], pair]),
    );
    const [, ...rows] = parseCsv(await new Response(statementCsvStream(alice.id, CURRENCY, {})).text());
    expect(rows.map((row) => [row[3], row[4]])).toEqual(expected(() => true).map((id) => decimals[id]));
  });

  it("is the header alone for a wallet not yet created, or when nothing matches", async () => {
    const nobody = await newUser("entries-nobody");
    const header = `${STATEMENT_HEADER.join(",")}\r\n`;
    expect(await new Response(statementCsvStream(nobody.id, CURRENCY, {})).text()).toBe(header);
    expect(await new Response(statementCsvStream(alice.id, CURRENCY, filterOf({ type: "DISPUTE_HOLD" }))).text()).toBe(header);
  });
});

describe("a busy wallet's statement, streamed in batches", () => {
  const carol = { id: "", balanceMinor: 0 };
  const COUNT = 300;
  const BATCH = 40; // 7 full batches and one of 20
  // Long descriptions, so the file (~350 KB) is several of the response's ~64 KiB pieces.
  const description = (index: number) => `Usage ${index} ${"x".repeat(1000)}`;

  beforeAll(async () => {
    carol.id = (await newUser("entries-carol")).id;
    await db().$transaction(
      async (tx) => {
        for (let index = 0; index < COUNT; index++) {
          const options = { userId: carol.id, currency: CURRENCY, idempotencyKey: `entries-test:carol:${carol.id}:${index}`, description: description(index) };
          // A £3.00 top-up, then two spends of £1.01 and 99p; one transaction, so many entries share an instant (ties go by id).
          if (index % 3 === 0) await credit(tx, { ...options, type: "TOPUP", amountMinor: 300 });
          else await debit(tx, { ...options, type: "USAGE", amountMinor: index % 3 === 1 ? 101 : 99 });
        }
      },
      { timeout: 60_000 },
    );
    carol.balanceMinor = (await getWalletView(carol.id, CURRENCY, { take: 1 })).balanceMinor;
  });

  /** The pg queries that read the ledger from now on. */
  function countLedgerQueries() {
    const spy = vi.spyOn(pgPool(), "query");
    return () => spy.mock.calls.filter(([text]) => typeof text === "string" && text.includes(`FROM "LedgerEntry"`)).length;
  }

  it("yields every entry once, newest first, in batches of the given size", async () => {
    const batches: LedgerEntryView[][] = [];
    for await (const batch of walletEntryBatches(carol.id, CURRENCY, {}, BATCH)) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([40, 40, 40, 40, 40, 40, 40, 20]);
    expect(ids(batches.flat())).toEqual(ids(await everyPage(carol.id, {}, 100)));
    expect(new Set(ids(batches.flat())).size).toBe(COUNT);
  });

  it("writes the same rows as the entry list's pages, adding up to the balance to the penny", async () => {
    const queries = countLedgerQueries();
    const text = await new Response(statementCsvStream(carol.id, CURRENCY, {}, BATCH)).text();
    expect(queries()).toBe(8);
    const [, ...rows] = parseCsv(text);
    const table = await everyPage(carol.id, {}, 100);
    expect(rows.map((row) => row[2])).toEqual(table.map((entry) => entry.description));
    expect(rows.map((row) => [row[3], row[4]])).toEqual(table.map((entry) => [minorToDecimalString(entry.amountMinor, CURRENCY), minorToDecimalString(entry.balanceAfterMinor, CURRENCY)]));
    expect(rows[0]?.[4]).toBe(minorToDecimalString(carol.balanceMinor, CURRENCY));
    expect(carol.balanceMinor).toBe(100 * (300 - 101 - 99)); // 100 rounds of £3.00 - £1.01 - 99p: £100.00

    const usage = parseCsv(await new Response(statementCsvStream(carol.id, CURRENCY, filterOf({ type: "USAGE" }), BATCH)).text()).slice(1);
    expect(usage).toHaveLength(200);
    expect(usage.map((row) => row[2])).toEqual((await everyPage(carol.id, filterOf({ type: "USAGE" }), 100)).map((entry) => entry.description));
  });

  it("runs the next batch's query only as the download is read, and stops when it is canceled", async () => {
    const queries = countLedgerQueries();
    const reader = statementCsvStream(carol.id, CURRENCY, {}, BATCH).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(first.value?.byteLength).toBeGreaterThanOrEqual(64 * 1024);
    // ~60 rows are in the first piece; a few more wait in the writer's buffers, a batch is prefetched.
    const afterFirstPiece = queries();
    expect(afterFirstPiece).toBeGreaterThanOrEqual(2);
    expect(afterFirstPiece).toBeLessThan(8);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(queries()).toBeLessThanOrEqual(afterFirstPiece + 1);
  });
});

describe("receipt links in the entry list", () => {
  it("gives a top-up the paid purchase behind its reference, and nothing to other entries or unpaid purchases", async () => {
    const user = await newUser("receipt-link");
    const paymentIntentId = `pi_${randomUUID().replaceAll("-", "")}`;
    const paid = await db().purchase.create({
      data: { userId: user.id, amountMinor: 500, currency: CURRENCY, status: "paid", paidAt: new Date(), checkoutSessionId: `cs_${randomUUID()}`, paymentIntentId },
    });
    const unpaidIntentId = `pi_${randomUUID().replaceAll("-", "")}`;
    await db().purchase.create({ data: { userId: user.id, amountMinor: 700, currency: CURRENCY, status: "pending", paymentIntentId: unpaidIntentId } });
    await record(user.id, [
      { type: "TOPUP", amountMinor: 500, at: MARCH_10, reference: paymentIntentId },
      { type: "TOPUP", amountMinor: 700, at: MARCH_10 + HOUR, reference: unpaidIntentId },
      { type: "USAGE", amountMinor: -100, at: MARCH_10 + 2 * HOUR, reference: paymentIntentId },
    ]);
    const view = await getWalletView(user.id, CURRENCY, { take: 10 });
    expect(view.entries.map((entry) => [entry.type, entry.receiptPurchaseId])).toEqual([
      ["USAGE", null],
      ["TOPUP", null],
      ["TOPUP", paid.id],
    ]);
  });
});
