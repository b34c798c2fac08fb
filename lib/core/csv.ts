import { Readable, pipeline } from "node:stream";
import { stringify, type Options } from "csv-stringify";
import { log } from "./log";

// CSV for the files people download (RFC 4180: fields quoted when they hold a comma, quote or line
// break; quotes doubled; CRLF between records), written by csv-stringify and streamed: the admin's
// entry export may run to millions of rows, a wallet statement to thousands.

// csv-stringify quotes a field that holds the record delimiter, but with CRLF records a lone "\n" or
// "\r" would go out bare and split the record in most readers: quote those too.
const CSV_OPTIONS: Options = { record_delimiter: "\r\n", quoted_match: /[\r\n]/ };

/** The response gets the writer's output gathered into pieces of about this size. */
const CHUNK_BYTES = 64 * 1024;

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

/**
 * A streaming CSV writer (a Node Transform): write string arrays in, read CSV text out. It buffers
 * only up to its highWaterMark, so a piped source slows down when the reader does.
 */
function csvStringifier(header: ReadonlyArray<string>) {
  const stringifier = stringify(CSV_OPTIONS);
  stringifier.write([...header]);
  return stringifier;
}

/**
 * The header and then `records` as a CSV byte stream for a Response (the header alone when there are
 * no records). Pull-driven end to end: the response asks for bytes, the csv-stringify writer asks
 * `records` for more, and `records` (an async generator running keyset batch queries) runs its next
 * query only when its previous batch has been written, so a slow download holds a batch or two in
 * memory, never the result. A download that is canceled stops the generator, and with it the
 * queries. A failure after the first bytes cannot change the status any more: it is logged as
 * `failureEvent` and the download ends short.
 */
export function csvStream(header: ReadonlyArray<string>, records: AsyncIterable<string[]>, failureEvent: string): ReadableStream<Uint8Array> {
  const stringifier = csvStringifier(header);
  pipeline(Readable.from(records), stringifier, (error) => {
    if (error && error.name !== "AbortError") log.error(failureEvent, { error: `${error.name}: ${error.message}` });
  });
  const chunks: AsyncIterator<Buffer | string> = stringifier[Symbol.asyncIterator]();
  // The writer emits a record or two at a time; the response gets them gathered into larger pieces.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const parts: Buffer[] = [];
      let size = 0;
      while (size < CHUNK_BYTES) {
        const { value, done } = await chunks.next();
        if (done) break;
        const part = typeof value === "string" ? Buffer.from(value) : value;
        parts.push(part);
        size += part.byteLength;
      }
      if (size > 0) controller.enqueue(new Uint8Array(Buffer.concat(parts, size)));
      if (size < CHUNK_BYTES) controller.close();
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}
