import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-db";

let database: ThrowawayDatabase | undefined;

// One migrated database per test run; test workers inherit DATABASE_URL.
export async function setup() {
  database = await createThrowawayDatabase("billfold_test");
  process.env.DATABASE_URL = database.url;
  process.env.BILLFOLD_QUIET_LOGS = "1";
}

export async function teardown() {
  if (process.env.KEEP_TEST_DATABASE === "1") {
    console.log(`Kept test database ${database?.url}`);
    return;
  }
  await database?.drop();
}
