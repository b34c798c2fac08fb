import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-db";

let database: ThrowawayDatabase | undefined;

// One migrated database per test run; test workers inherit DATABASE_URL.
export async function setup() {
  database = await createThrowawayDatabase("billfold_test");
  process.env.DATABASE_URL = database.url;
  process.env.BILLFOLD_QUIET_LOGS = "1";
}

export async function teardown() {
  try {
    // After every test file: the ledger invariant over the whole database the suite wrote.
    await assertLedgerInvariants();
  } finally {
    if (process.env.KEEP_TEST_DATABASE === "1") console.log(`Kept test database ${database?.url}`);
    else await database?.drop();
  }
}

async function assertLedgerInvariants() {
  const { findLedgerViolations } = await import("../lib/ledger/invariants");
  const { db } = await import("../lib/core/db");
  try {
    const { walletsChecked, violations } = await findLedgerViolations();
    if (violations.length > 0) {
      throw new Error(`Ledger invariants broken after the test suite:\n${violations.map((v) => `  ${v.walletId}: ${v.problem}`).join("\n")}`);
    }
    console.log(`Ledger invariants hold for all ${walletsChecked} wallets in the test database.`);
  } finally {
    await db().$disconnect();
  }
}
