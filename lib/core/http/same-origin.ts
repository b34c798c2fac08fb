import { AppError } from "../errors";

// Cross-site request forgery, refused by what the browser itself says about the request. A page on
// another site can make a visitor's browser POST here (a form, or a no-cors fetch with a text/plain
// body) without asking first; the browser then says where it came from in Sec-Fetch-Site and Origin,
// which the page cannot change. The rule is the one Go's http.CrossOriginProtection applies:
// Sec-Fetch-Site when the browser sends it, else Origin; a request with neither comes from no
// browser (curl, a script, a test), which holds no visitor's cookies, and is let through.

export class CrossOriginRequestError extends AppError {
  constructor() {
    super("cross_origin_request", "This request came from another site, so it was refused.", 403);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super("unsupported_media_type", "Send the request body as JSON, with Content-Type: application/json.", 415);
  }
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** True when a browser says the request came from one of our own pages, or no browser sent it. */
export function isSameOriginRequest(headers: Headers, ownOrigin: string): boolean {
  const site = headers.get("sec-fetch-site");
  // "none" is the person's own action (a bookmark, the address bar), never another page.
  if (site !== null) return site === "same-origin" || site === "none";
  const origin = headers.get("origin");
  if (origin === null) return true;
  if (origin === ownOrigin) return true;
  // The app may be reached by another name than APP_URL (a preview host): a browser sets Host to the
  // site it is talking to, so an Origin naming that same host is our own page. "null" never matches.
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return originHost === host;
}

/** A body goes with the request (HTTP/1.1 says so with one of these two headers). */
function declaresBody(headers: Headers): boolean {
  return headers.has("transfer-encoding") || Number(headers.get("content-length") ?? "0") > 0;
}

/**
 * For a state-changing method: 403 unless the request is same-origin (above), 415 unless its body,
 * if it has one, is declared as JSON. A form or a no-cors fetch can send only text/plain, urlencoded
 * or multipart bodies without a CORS preflight (which this app never grants), so requiring JSON also
 * refuses cross-site requests from browsers too old to send Origin.
 */
export function assertSameOriginJson(req: Request, ownOrigin: string): void {
  if (!STATE_CHANGING.has(req.method)) return;
  if (!isSameOriginRequest(req.headers, ownOrigin)) throw new CrossOriginRequestError();
  const contentType = req.headers.get("content-type");
  if (contentType === null ? declaresBody(req.headers) : contentType.split(";")[0]?.trim().toLowerCase() !== "application/json") {
    throw new UnsupportedMediaTypeError();
  }
}
