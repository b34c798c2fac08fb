import { describe, expect, it } from "vitest";
import { formatReport } from "./report";
import type { ReconciliationReport } from "./reconcile";

// The reconciliation summary reads as English whatever the counts: "1 refund", "2 disputes".

function reportWith(checked: ReconciliationReport["checked"]): ReconciliationReport {
  return { range: { from: new Date("2026-12-01T00:00:00Z"), to: new Date("2026-12-02T00:00:00Z") }, checked, missing: [], extra: [], mismatched: [] };
}

describe("the reconciliation report", () => {
  it("counts in the singular for one and the plural otherwise", () => {
    const one = formatReport(reportWith({ checkoutSessions: 1, charges: 1, refunds: 1, disputes: 1, ledgerEntries: 1, fetchedById: 1 }));
    expect(one).toContain("Checked 1 paid top-up session (1 charge), 1 refund, 1 dispute; 1 ledger entry; 1 object fetched by id.");
    const many = formatReport(reportWith({ checkoutSessions: 2, charges: 0, refunds: 3, disputes: 0, ledgerEntries: 5, fetchedById: 0 }));
    expect(many).toContain("Checked 2 paid top-up sessions (0 charges), 3 refunds, 0 disputes; 5 ledger entries; 0 objects fetched by id.");
  });
});
