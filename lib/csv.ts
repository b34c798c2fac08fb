import { stringify, type Options } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";

// CSV for the files people download (RFC 4180: fields quoted when they hold a comma, quote or line
// break; quotes doubled; CRLF between records), written by csv-stringify: the sync form for small
// documents (a wallet statement), the streaming form for exports that may run to millions of rows.

// csv-stringify quotes a field that holds the record delimiter, but with CRLF records a lone "\n" or
// "\r" would go out bare and split the record in most readers: quote those too.
const CSV_OPTIONS: Options = { record_delimiter: "\r\n", quoted_match: /[\r\n]/ };

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Free text that came from people or other systems (a description), made safe to open in a
 * spreadsheet: a leading formula character gets a `'` in front. Never for numbers (a negative amount
 * starts with "-" and must stay a number).
 */
export function spreadsheetText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The rows (the first one usually the header) as one CSV document. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return stringifySync(rows.map((row) => [...row]), CSV_OPTIONS);
}

/**
 * A streaming CSV writer (a Node Transform): write string arrays in, read CSV text out. It buffers
 * only up to its highWaterMark, so a piped source slows down when the reader does.
 */
export function csvStringifier(header: ReadonlyArray<string>) {
  const stringifier = stringify(CSV_OPTIONS);
  stringifier.write([...header]);
  return stringifier;
}
