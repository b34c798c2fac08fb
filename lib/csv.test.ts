import { describe, expect, it } from "vitest";
import { spreadsheetText, toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes only fields that need it, doubles quotes, and ends every record with CRLF", () => {
    expect(toCsv([["a", "b"], ["1,5", 'say "hi"'], ["two\nlines", ""]])).toBe('a,b\r\n"1,5","say ""hi"""\r\n"two\nlines",\r\n');
  });
});

describe("spreadsheetText", () => {
  it("defuses text a spreadsheet would run as a formula, and leaves other text alone", () => {
    expect(spreadsheetText("=HYPERLINK(\"http://evil\")")).toBe("'=HYPERLINK(\"http://evil\")");
    for (const start of ["+", "-", "@", "\t"]) expect(spreadsheetText(`${start}1`)).toBe(`'${start}1`);
    expect(spreadsheetText("Demo usage")).toBe("Demo usage");
    expect(spreadsheetText("")).toBe("");
  });
});
