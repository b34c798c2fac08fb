// npm run seed:large: a million correct ledger entries in the database at DATABASE_URL, for measuring
// the admin console and /wallet at scale (see scripts/large-ledger.ts for what it writes). Not part of
// the test suite. Refuses to run twice on the same database; --reset removes the previous large seed
// (its @large.billfold.test users, wallets and entries, nothing else) first.
//
//   --entries N   ledger entries (default 1,000,000)
//   --users N     users, each with a wallet (default 10,000)
//   --heavy N     entries of heavy@large.billfold.test, the busiest wallet (default 5% of entries, at most 50,000)
//   --reset       replace an existing large seed
import { parseArgs } from "node:util";
import pg from "pg";
import { assertSeedAllowed, seedPlans } from "../lib/tooling/seed";
import { createPrismaClient } from "../lib/core/prisma";
import { checkLargeLedger, defaultHeavyEntries, hasLargeSeed, LargeSeedRefusedError, removeLargeSeed, seedLargeLedger } from "./large-ledger";

const { values: flags } = parseArgs({
  options: {
    entries: { type: "string", default: "1000000" },
    users: { type: "string", default: "10000" },
    heavy: { type: "string" },
    reset: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`seed:large: ${message}`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail("DATABASE_URL is not set. Point it at a throwaway database (its migrations applied), e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/billfold_large npm run seed:large");
const host = new URL(databaseUrl).hostname;
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) fail(`refusing to write a million made-up ledger entries to non-local host ${host}`);
try {
  assertSeedAllowed();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const entries = Number(flags.entries);
const users = Number(flags.users);
const heavyEntries = flags.heavy === undefined ? defaultHeavyEntries(entries) : Number(flags.heavy);
const currency = process.env.BILLFOLD_CURRENCY || "GBP";

try {
  if (flags.reset) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      if (await hasLargeSeed(client)) console.log(`Removed the previous large seed (${(await removeLargeSeed(client)).toLocaleString("en-GB")} entries).`);
    } finally {
      await client.end();
    }
  }
  // The /wallet page lists the plans: make sure they exist (idempotent).
  const prisma = createPrismaClient();
  await seedPlans(prisma, currency);
  await prisma.$disconnect();

  console.log(`Seeding ${entries.toLocaleString("en-GB")} ledger entries over ${users.toLocaleString("en-GB")} users (${heavyEntries.toLocaleString("en-GB")} for the heavy user), ${currency}…`);
  const summary = await seedLargeLedger(databaseUrl, { entries, users, heavyEntries, currency, endAt: new Date(), log: console.log });
  console.log(
    `Seeded ${summary.entries.toLocaleString("en-GB")} entries in ${summary.seconds.toFixed(1)} s. ` +
      `Heavy user: ${summary.heavyUser.email} (${summary.heavyUser.entries.toLocaleString("en-GB")} entries); admin: ${summary.admin.email}. ` +
      "They have no password: sign in as them with a minted session (bench/admin.ts does).",
  );
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const check = await checkLargeLedger(client);
    console.log(`Ledger check: ${check.ok ? "ok" : "FAILED"} (${check.detail}).`);
    if (!check.ok) process.exitCode = 1;
  } finally {
    await client.end();
  }
} catch (error) {
  if (error instanceof LargeSeedRefusedError) fail(error.message);
  throw error;
}
