import { AppError } from "../errors";

// Reads a request body up to a byte limit, counting as it reads: a chunked body (no Content-Length)
// is never held whole in memory, and reading stops as soon as the limit is passed.

export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super("payload_too_large", `Request bodies are limited to ${Math.floor(maxBytes / 1024)} KB.`, 413);
  }
}

export class InvalidContentLengthError extends AppError {
  constructor() {
    super("invalid_content_length", "The Content-Length header must be a non-negative whole number.", 400);
  }
}

/** The declared length: null when absent; throws when it is not a non-negative integer (e.g. "-1", "1e3", "12, 12"). */
export function declaredContentLength(headers: Headers): number | null {
  const raw = headers.get("content-length");
  if (raw === null) return null;
  if (!/^\d+$/.test(raw.trim())) throw new InvalidContentLengthError();
  return Number(raw.trim());
}

/**
 * The body as UTF-8 text, at most `maxBytes`. A declared length over the limit is refused before
 * reading; otherwise the stream is read chunk by chunk and canceled the moment the count passes
 * the limit. Throws PayloadTooLargeError (413) or InvalidContentLengthError (400).
 */
export async function readLimitedBody(req: Request, maxBytes: number): Promise<string> {
  const declared = declaredContentLength(req.headers);
  if (declared !== null && declared > maxBytes) {
    await req.body?.cancel().catch(() => undefined);
    throw new PayloadTooLargeError(maxBytes);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, total));
}
