import { describe, expect, it } from "vitest";
import { parseEnv } from "../../core/env";
import { addressLinesOf, businessDetails, formatRate, vatIncluded } from "./business";
import { cardBrandName, paymentMethodLabel, receiptPath, topUpLabel } from "../purchases/labels";

describe("the seller on receipts", () => {
  it("defaults to Billfold with no address and no VAT", () => {
    expect(businessDetails(parseEnv({ NODE_ENV: "test" }))).toEqual({ name: "Billfold", addressLines: [], vatNumber: null, vatRateBasisPoints: null });
  });

  it("reads name, address lines, VAT number and rate from the environment", () => {
    const env = parseEnv({
      NODE_ENV: "test",
      BILLFOLD_BUSINESS_NAME: " Billfold Ltd ",
      BILLFOLD_BUSINESS_ADDRESS: "1 High Street | London\\nN1 1AA\n United Kingdom",
      BILLFOLD_VAT_NUMBER: "GB123456789",
      BILLFOLD_VAT_RATE_BP: "2000",
    });
    expect(businessDetails(env)).toEqual({
      name: "Billfold Ltd",
      addressLines: ["1 High Street", "London", "N1 1AA", "United Kingdom"],
      vatNumber: "GB123456789",
      vatRateBasisPoints: 2000,
    });
  });

  it("refuses a VAT rate without a VAT number, and a rate outside 0–100%", () => {
    expect(() => parseEnv({ NODE_ENV: "test", BILLFOLD_VAT_RATE_BP: "2000" })).toThrow(/BILLFOLD_VAT_RATE_BP: needs BILLFOLD_VAT_NUMBER/);
    expect(() => parseEnv({ NODE_ENV: "test", BILLFOLD_VAT_NUMBER: "GB1", BILLFOLD_VAT_RATE_BP: "20.5" })).toThrow(/BILLFOLD_VAT_RATE_BP/);
    expect(() => parseEnv({ NODE_ENV: "test", BILLFOLD_VAT_NUMBER: "GB1", BILLFOLD_VAT_RATE_BP: "10001" })).toThrow(/BILLFOLD_VAT_RATE_BP/);
  });

  it("splits an address on |, newlines and a literal \\n, dropping blank lines", () => {
    expect(addressLinesOf(undefined)).toEqual([]);
    expect(addressLinesOf("a|| b \\n\r\nc")).toEqual(["a", "b", "c"]);
  });
});

describe("VAT included in an amount", () => {
  it("is gross × rate / (1 + rate), to the nearest minor unit, halves up, and adds back to the gross", () => {
    expect(vatIncluded(500, 2000)).toEqual({ rateBasisPoints: 2000, vatMinor: 83, netMinor: 417 }); // £5.00: 83.33p VAT → 83p
    expect(vatIncluded(2000, 2000)).toEqual({ rateBasisPoints: 2000, vatMinor: 333, netMinor: 1667 }); // £20.00: 333.33p → 333p
    expect(vatIncluded(1200, 2000)).toEqual({ rateBasisPoints: 2000, vatMinor: 200, netMinor: 1000 }); // exact
    expect(vatIncluded(21, 500)).toEqual({ rateBasisPoints: 500, vatMinor: 1, netMinor: 20 }); // 1.0p exactly
    expect(vatIncluded(63, 2000).vatMinor).toBe(11); // 10.5p: a half, rounded up
    expect(vatIncluded(0, 2000)).toEqual({ rateBasisPoints: 2000, vatMinor: 0, netMinor: 0 });
    expect(vatIncluded(Number.MAX_SAFE_INTEGER, 2000).vatMinor).toBe(1501199875790165); // 9007199254740991 / 6 = …165.17: integers all the way, though gross × rate passes 2^53
  });

  it("refuses fractional or negative amounts and rates outside 0–10000 bp", () => {
    expect(() => vatIncluded(1.5, 2000)).toThrow(RangeError);
    expect(() => vatIncluded(-1, 2000)).toThrow(RangeError);
    expect(() => vatIncluded(500, 10_001)).toThrow(RangeError);
  });

  it("formats basis points as a percentage without a float", () => {
    expect([2000, 550, 1225, 5, 10_000].map(formatRate)).toEqual(["20%", "5.5%", "12.25%", "0.05%", "100%"]);
  });
});

describe("receipt wording", () => {
  it("names what was bought, the card, and the receipt page", () => {
    expect(topUpLabel("starter")).toBe("Starter credit pack");
    expect(topUpLabel(null)).toBe("Wallet top-up");
    expect(cardBrandName("amex")).toBe("American Express");
    expect(cardBrandName("link_new")).toBe("Link new");
    expect(paymentMethodLabel({ brand: "visa", last4: "4242" })).toBe("Visa ending in 4242");
    expect(paymentMethodLabel({ brand: null, last4: "4242" })).toBe("Card ending in 4242");
    expect(paymentMethodLabel({ brand: null, last4: null })).toBeNull();
    expect(receiptPath("c/1")).toBe("/wallet/receipts/c%2F1");
  });
});
