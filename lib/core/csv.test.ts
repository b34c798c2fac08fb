import { describe, expect, it } from "vitest";
import { csvStream, spreadsheetText } from "./csv";

async function* records(rows: string[][]) {
  for (const row of rows) yield row;
}

describe("csvStream", () => {
  it("quotes only fields that need it (a lone line break too), doubles quotes, and ends every record with CRLF", async () => {
    const stream = csvStream(["a", "b"], records([["1,5", 'say "hi"'], ["two\nlines", ""], ["cr\ronly", "plain"]]), "test_export_failed");
    expect(await new Response(stream).text()).toBe('a,b\r\n"1,5","say ""hi"""\r\n"two\nlines",\r\n"cr\ronly",plain\r\n');
  });

  it("writes the header alone when there are no records", async () => {
    expect(await new Response(csvStream(["a", "b"], records([]), "test_export_failed")).text()).toBe("a,b\r\n");
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
