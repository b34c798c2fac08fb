// CSV for the files people download (RFC 4180: fields quoted when they hold a comma, quote or line
// break; quotes doubled; CRLF between records). Written here rather than with csv-stringify, which is
// not a dependency yet: the whole format is these few lines. Ask for it before this grows options.

const NEEDS_QUOTES = /[",\r\n]/;
// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

function field(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

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
  return rows.map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}
