import { describe, expect, it } from "vitest";
import { parseWalletEntryFilter, walletEntryFilterSchema, walletEntryFilterQuery } from "./wallet-entries";

describe("the wallet entry list's filter", () => {
  it("reads a type and whole UTC days, the end day included (its next midnight, exclusive)", () => {
    expect(walletEntryFilterSchema.parse({ type: "USAGE", from: "2026-11-01", to: "2026-11-24" })).toEqual({
      type: "USAGE",
      from: new Date("2026-11-01T00:00:00.000Z"),
      to: new Date("2026-11-25T00:00:00.000Z"),
    });
    // One day: from its midnight to the next.
    expect(walletEntryFilterSchema.parse({ from: "2028-02-29", to: "2028-02-29" })).toEqual({ from: new Date("2028-02-29T00:00:00.000Z"), to: new Date("2028-03-01T00:00:00.000Z") });
  });

  it("reads empty fields (and unknown parameters) as no filter", () => {
    expect(walletEntryFilterSchema.parse({ type: "", from: " ", to: "", cursor: "abc", checkout: "success" })).toEqual({});
  });

  it("names the field it cannot read, never throwing, for the form to show next to it", () => {
    expect(parseWalletEntryFilter({ type: "FREE_MONEY", from: "2026-02-30", to: "yesterday" })).toEqual({
      ok: false,
      errors: { type: "Choose one of the listed types.", from: "Use a date like 2026-11-24.", to: "Use a date like 2026-11-24." },
    });
    expect(parseWalletEntryFilter({ from: "2026-11-24", to: "2026-11-23" })).toEqual({ ok: false, errors: { to: "The end date must not be before the start date." } });
    expect(parseWalletEntryFilter({ from: "2026-11-24", to: "2026-11-24" })).toMatchObject({ ok: true });
    expect(() => walletEntryFilterSchema.parse({ from: "24/11/2026" })).toThrow();
  });

  it("writes the set fields back as a query string for page and download links", () => {
    expect(walletEntryFilterQuery({ type: "TOPUP", from: "", to: "2026-11-24" })).toBe("type=TOPUP&to=2026-11-24");
    expect(walletEntryFilterQuery({})).toBe("");
  });
});
