import { describe, expect, it } from "vitest";
import { GET as entries } from "@/app/api/admin/entries/route";
import { GET as entriesExport } from "@/app/api/admin/entries/export/route";
import { GET as oldList } from "./route";
import { GET as oldExport } from "./export/route";

// The old paths are the new handlers themselves, so they answer, guard and audit the same.
describe("GET /api/admin/transactions (old name, kept)", () => {
  it("is the handler of GET /api/admin/entries, and its export that of /api/admin/entries/export", () => {
    expect(oldList).toBe(entries);
    expect(oldExport).toBe(entriesExport);
  });
});
