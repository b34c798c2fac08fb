import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "@/test/csv-records";
import { db } from "../core/db";
import type { LedgerEntryType } from "../generated/prisma/enums";
import { credit, debit } from "../ledger";
import { searchUsers } from "./users";
import { ADMIN_ENTRIES_CSV_HEADER, adminEntriesCsvStream } from "./entry-export";
import { parseAdminEntryForm, adminEntryFilterSchema, adminEntryListQuerySchema, type AdminEntryFilter } from "./entry-filters";
import { listAdminEntries, type AdminEntry } from "./entry-query";
import { getAdminEntryTotals } from "./entry-totals";

// Other test files write to the same database at the same time, so every entry made here is moved
// into a private day decades ago, and each assertion filters on that day (or on this file's users).
const DAY_MS = 24 * 60 * 60 * 1000;
const dayStart = Date.UTC(1980, 0, 1) + Math.floor(Math.random() * 7000) * DAY_MS;
const window: AdminEntryFilter = { from: new Date(dayStart), to: new Date(dayStart + DAY_MS) };
const at = (minutes: number) => new Date(dayStart + minutes * 60_000);

const marker = randomUUID().slice(0, 8);
const alice = { email: `tx-alice-${marker}@example.test`, id: "" };
const bob = { email: `tx-bob-${marker}@example.test`, id: "" };
const made: Array<{ id: string; createdAt: Date; email: string; currency: string; type: LedgerEntryType; amountMinor: number; stripeObjectId: string | null }> = [];

interface Move {
  user: typeof alice;
  currency: string;
  type: LedgerEntryType;
  /** Signed: positive credits, negative debits. */
  amountMinor: number;
  minute: number;
  reference?: string;
  description?: string;
}

async function record(move: Move) {
  const options = {
    userId: move.user.id,
    currency: move.currency,
    amountMinor: Math.abs(move.amountMinor),
    idempotencyKey: `tx-test:${randomUUID()}`,
    stripeObjectId: move.reference ?? null,
    description: move.description ?? null,
  };
  const { entry } = await db().$transaction((tx) =>
    move.amountMinor > 0 ? credit(tx, { ...options, type: move.type as "TOPUP" }) : debit(tx, { ...options, type: move.type as "USAGE" }),
  );
  const createdAt = at(move.minute);
  await db().ledgerEntry.update({ where: { id: entry.id }, data: { createdAt } });
  made.push({ id: entry.id, createdAt, email: move.user.email, currency: move.currency, type: move.type, amountMinor: move.amountMinor, stripeObjectId: move.reference ?? null });
}

/** What the listing should return for a predicate over this file's entries, newest first, ties by id descending. */
function expected(predicate: (entry: (typeof made)[number]) => boolean) {
  return made
    .filter(predicate)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((entry) => entry.id);
}

async function everyPage(filter: AdminEntryFilter, limit: number): Promise<AdminEntry[]> {
  const seen: AdminEntry[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result: Awaited<ReturnType<typeof listAdminEntries>> = await listAdminEntries(filter, { cursor, limit });
    expect(result.entries.length).toBeLessThanOrEqual(limit);
    seen.push(...result.entries);
    cursor = result.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error("paging did not end");
}

const ids = (entries: AdminEntry[]) => entries.map((entry) => entry.id);

beforeAll(async () => {
  alice.id = (await db().user.create({ data: { email: alice.email } })).id;
  bob.id = (await db().user.create({ data: { email: bob.email } })).id;
  const moves: Move[] = [
    { user: alice, currency: "GBP", type: "TOPUP", amountMinor: 2000, minute: 10, reference: `cs_${marker}_1` }, // £20.00
    { user: alice, currency: "GBP", type: "USAGE", amountMinor: -125, minute: 20, description: "=HYPERLINK(\"http://evil\")" }, // -£1.25
    { user: alice, currency: "GBP", type: "USAGE", amountMinor: -5, minute: 20, description: "Tiny, with a comma" }, // -£0.05, same instant
    { user: alice, currency: "EUR", type: "TOPUP", amountMinor: 1050, minute: 20, reference: `cs_${marker}_2` }, // €10.50, same instant
    { user: alice, currency: "EUR", type: "ADJUSTMENT", amountMinor: -50, minute: 30, description: "Goodwill\nreversal" }, // -€0.50
    { user: bob, currency: "GBP", type: "TOPUP", amountMinor: 5000, minute: 15, reference: `cs_${marker}_3` }, // £50.00
    { user: bob, currency: "GBP", type: "USAGE", amountMinor: -1250, minute: 20 }, // -£12.50, same instant again
    { user: bob, currency: "GBP", type: "REFUND", amountMinor: -2000, minute: 25, reference: `re_${marker}_3` }, // -£20.00
    { user: bob, currency: "GBP", type: "ADJUSTMENT", amountMinor: 300, minute: 60 * 23 + 59 }, // £3.00, the day's last minute
  ];
  for (const move of moves) await record(move);
  // Ten more of Bob's at one instant: the keyset must order and page them by id alone.
  for (let i = 0; i < 10; i += 1) await record({ user: bob, currency: "GBP", type: "PLAN_GRANT", amountMinor: 100 + i, minute: 40 });
});

describe("listAdminEntries filters", () => {
  it("lists the window's entries newest first, ties broken by id, with user and currency", async () => {
    const { entries } = await listAdminEntries(window, { limit: 500 });
    expect(ids(entries)).toEqual(expected(() => true));
    const topUp = entries.find((entry) => entry.stripeObjectId === `cs_${marker}_2`);
    expect(topUp).toMatchObject({ email: alice.email, userId: alice.id, currency: "EUR", type: "TOPUP", amountMinor: 1050, balanceAfterMinor: 1050 });
    expect(topUp?.createdAt).toEqual(at(20));
  });

  it("filters by email across all the user's wallets, whatever its case and spaces", async () => {
    const filter = adminEntryFilterSchema.parse({ email: `  ${alice.email.toUpperCase()} ` });
    expect(filter.email).toBe(alice.email);
    const { entries } = await listAdminEntries({ ...filter, ...window }, { limit: 500 });
    expect(ids(entries)).toEqual(expected((entry) => entry.email === alice.email));
    expect(new Set(entries.map((entry) => entry.currency))).toEqual(new Set(["GBP", "EUR"]));
  });

  it("matches part of the email in any case, as the user search does", async () => {
    const part = `TX-Alice-${marker}`; // no domain, other case
    expect(ids((await listAdminEntries({ ...adminEntryFilterSchema.parse({ email: part }), ...window }, { limit: 500 })).entries)).toEqual(expected((entry) => entry.email === alice.email));
    expect((await searchUsers({ query: part })).users.map((user) => user.email)).toEqual([alice.email]);
    // A part both share finds both, in the list, the totals and the export alike.
    const both = `${marker}@EXAMPLE.test`;
    expect(ids((await listAdminEntries({ ...window, email: both }, { limit: 500 })).entries)).toEqual(expected(() => true));
    expect(await getAdminEntryTotals({ ...window, email: both })).toEqual(await getAdminEntryTotals(window));
    // "%" and "_" are letters here, not wildcards.
    expect(await listAdminEntries({ ...window, email: "%" })).toEqual({ entries: [], nextCursor: null });
    expect((await searchUsers({ query: `${marker}%` })).users).toEqual([]);
  });

  it("answers an unknown email with an empty list, not an error", async () => {
    expect(await listAdminEntries({ email: `nobody-${marker}@example.test` })).toEqual({ entries: [], nextCursor: null });
    expect(await getAdminEntryTotals({ email: `nobody-${marker}@example.test` })).toEqual([]);
  });

  it("filters by type, amount range and Stripe reference", async () => {
    expect(ids((await listAdminEntries({ ...window, type: "USAGE" }, { limit: 500 })).entries)).toEqual(expected((entry) => entry.type === "USAGE"));
    const range = { minAmountMinor: -1250, maxAmountMinor: -5 }; // -£12.50 … -£0.05, both ends included
    expect(ids((await listAdminEntries({ ...window, ...range }, { limit: 500 })).entries)).toEqual(
      expected((entry) => entry.amountMinor >= -1250 && entry.amountMinor <= -5),
    );
    const byReference = await listAdminEntries({ reference: `re_${marker}_3` });
    expect(byReference.entries.map((entry) => [entry.type, entry.amountMinor, entry.email])).toEqual([["REFUND", -2000, bob.email]]);
  });

  it("treats a bare `to` date as the whole day and `from` as inclusive", async () => {
    const day = new Date(dayStart).toISOString().slice(0, 10);
    const wholeDay = adminEntryFilterSchema.parse({ from: day, to: day });
    expect(wholeDay.to?.getTime()).toBe(dayStart + DAY_MS);
    expect(ids((await listAdminEntries(wholeDay, { limit: 500 })).entries)).toContain(made.find((entry) => entry.amountMinor === 300)?.id);
    // From the exact instant of the £12.50 usage (inclusive) to the exact instant of the refund (exclusive).
    const slice = adminEntryFilterSchema.parse({ from: at(20).toISOString(), to: at(25).toISOString() });
    expect(ids((await listAdminEntries(slice, { limit: 500 })).entries)).toEqual(expected((entry) => entry.createdAt.getTime() === at(20).getTime()));
  });
});

describe("listAdminEntries paging", () => {
  it("pages through everything once, in order, across equal timestamps, with any page size", async () => {
    for (const limit of [1, 3, 7]) {
      expect(ids(await everyPage(window, limit))).toEqual(expected(() => true));
    }
    // The email filter pages through both of Alice's wallets merged.
    expect(ids(await everyPage({ ...window, email: alice.email }, 2))).toEqual(expected((entry) => entry.email === alice.email));
    expect(ids(await everyPage({ ...window, type: "PLAN_GRANT" }, 4))).toEqual(expected((entry) => entry.type === "PLAN_GRANT"));
  });

  it("ends with a null cursor exactly on the last page, and reads a malformed cursor as the first page", async () => {
    const all = expected(() => true);
    const full = await listAdminEntries(window, { limit: all.length });
    expect(full.nextCursor).toBeNull();
    const short = await listAdminEntries(window, { limit: all.length - 1 });
    expect(short.nextCursor).not.toBeNull();
    expect(await listAdminEntries(window, { cursor: "garbage", limit: 3 })).toEqual(await listAdminEntries(window, { limit: 3 }));
  });
});

describe("getAdminEntryTotals", () => {
  it("sums credits, debits, net and count per currency over the filter", async () => {
    const sums = (currency: string, predicate: (entry: (typeof made)[number]) => boolean = () => true) => {
      const own = made.filter((entry) => entry.currency === currency && predicate(entry));
      const creditsMinor = own.filter((entry) => entry.amountMinor > 0).reduce((sum, entry) => sum + entry.amountMinor, 0);
      const debitsMinor = own.filter((entry) => entry.amountMinor < 0).reduce((sum, entry) => sum + entry.amountMinor, 0);
      return { currency, count: own.length, creditsMinor, debitsMinor, netMinor: creditsMinor + debitsMinor };
    };
    expect(await getAdminEntryTotals(window)).toEqual([sums("EUR"), sums("GBP")]);
    // EUR: €10.50 in, €0.50 out; GBP: £20.00 in, £1.30 out.
    expect(await getAdminEntryTotals({ ...window, email: alice.email })).toEqual([
      { currency: "EUR", count: 2, creditsMinor: 1050, debitsMinor: -50, netMinor: 1000 },
      { currency: "GBP", count: 3, creditsMinor: 2000, debitsMinor: -130, netMinor: 1870 },
    ]);
    expect(await getAdminEntryTotals({ ...window, type: "USAGE", email: bob.email })).toEqual([sums("GBP", (entry) => entry.type === "USAGE" && entry.email === bob.email)]);
  });
});

describe("adminEntriesCsvStream", () => {
  it("streams the filter's entries in batches as CSV that reads back to the same rows", async () => {
    const text = await new Response(adminEntriesCsvStream(window, 4)).text();
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...ADMIN_ENTRIES_CSV_HEADER]);
    const column = (name: (typeof ADMIN_ENTRIES_CSV_HEADER)[number]) => ADMIN_ENTRIES_CSV_HEADER.indexOf(name);
    expect(rows.map((row) => row[column("Entry id")])).toEqual(expected(() => true));
    const usage = rows.find((row) => row[column("Amount (minor units)")] === "-1250");
    expect(usage?.[column("Amount")]).toBe("-12.50");
    expect(usage?.[column("Email")]).toBe(bob.email);
    expect(usage?.[column("Date (UTC)")]).toBe(at(20).toISOString());
    expect(rows.find((row) => row[column("Amount (minor units)")] === "-5")?.[column("Amount")]).toBe("-0.05");
    // Free text cannot run as a formula, and commas and line breaks survive quoting.
    expect(rows.map((row) => row[column("Description")])).toEqual(
      expect.arrayContaining(["'=HYPERLINK(\"http://evil\")", "Tiny, with a comma", "Goodwill\nreversal"]),
    );
  });

  it("writes the header alone when nothing matches", async () => {
    const text = await new Response(adminEntriesCsvStream({ email: `nobody-${marker}@example.test` })).text();
    expect(parseCsv(text)).toEqual([[...ADMIN_ENTRIES_CSV_HEADER]]);
  });
});

describe("query strings", () => {
  it("refuses what it cannot read, with the field that is wrong", () => {
    const failing = {
      type: { type: "BONUS" },
      from: { from: "24/11/2026" },
      to: { from: "2026-11-24", to: "2026-11-23" },
      minAmountMinor: { minAmountMinor: "12.50" },
      maxAmountMinor: { minAmountMinor: "100", maxAmountMinor: "-100" },
      limit: { limit: "501" },
      cursor: { cursor: "not-a-cursor" },
    };
    for (const [field, query] of Object.entries(failing)) {
      const parsed = adminEntryListQuerySchema.safeParse(query);
      expect(parsed.success, field).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path[0])).toContain(field);
    }
  });

  it("reads empty fields as no filter and applies the defaults", () => {
    expect(adminEntryListQuerySchema.parse({ email: "", type: "", totals: "1" })).toEqual({ filter: {}, cursor: undefined, limit: 50, totals: true });
    expect(adminEntryListQuerySchema.parse({ limit: "500", minAmountMinor: "-500" })).toMatchObject({ filter: { minAmountMinor: -500 }, limit: 500, totals: false });
  });

  it("reads the page's major-unit amounts exactly, and names the field it cannot read", () => {
    expect(parseAdminEntryForm({ minAmount: "-0.05", maxAmount: "12.50", type: "" }, "GBP")).toEqual({ ok: true, filter: { minAmountMinor: -5, maxAmountMinor: 1250 } }); // -£0.05 … £12.50
    const bad = parseAdminEntryForm({ minAmount: "1.234", from: "yesterday" }, "GBP");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["from", "minAmount"]);
    expect(parseAdminEntryForm({ minAmount: "-£5", maxAmount: "£20,50" }, "GBP")).toEqual({ ok: true, filter: { minAmountMinor: -500, maxAmountMinor: 2050 } }); // -£5.00 … £20.50
    const unread = parseAdminEntryForm({ maxAmount: "1,000" }, "GBP");
    expect(unread).toEqual({ ok: false, errors: { maxAmount: "Type the amount in digits, like 20.50 (or -5 for a debit)." } });
  });
});
