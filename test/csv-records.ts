// Reads CSV back into records with csv-parse (the sibling of the csv-stringify that writes it), strictly:
// records end in CRLF, and the file ends with one, so tests check the files Billfold writes as a
// spreadsheet would read them. Only tests import this.
import { parse } from "csv-parse/sync";

export function parseCsv(text: string): string[][] {
  if (text.length > 0 && !text.endsWith("\r\n")) throw new Error("CSV does not end with CRLF after its last record");
  return parse(text, { record_delimiter: "\r\n", relax_column_count: false });
}
