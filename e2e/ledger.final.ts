import { expect, test } from "@playwright/test";

// Runs after every other browser test: whatever they did, every wallet still equals the sum of its
// entries, and its credit grants are still a breakdown of that balance (lib/ledger/invariants.ts).
test("every wallet's balance equals the sum of its ledger entries", async ({ request }) => {
  const response = await request.get("/api/admin/ledger/check");
  const body = await response.json();
  expect(body.violations).toEqual([]);
  expect(response.status()).toBe(200);
  expect(body.walletsChecked).toBeGreaterThan(5);
});
