import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import { appUrl } from "./env";
import { toPublicError, TooManyRequestsError, ValidationError } from "./errors";
import { declaredContentLength, PayloadTooLargeError, readLimitedBody } from "./http/read-limited-body";
import { assertSameOriginJson } from "./http/same-origin";
import { log } from "./log";

// HTTP plumbing for route handlers: the JSON error shape and the wrapper that applies the one error map.
// Who may call a handler is decided by the guards in lib/accounts/guards.ts.

export interface ErrorBody {
  error: { code: string; message: string; requestId?: string } & Record<string, unknown>;
}

export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json<ErrorBody>({ error: { code, message, ...extra } }, { status });
}

/** Domain errors keep their status, zod → 422, anything else is logged and hidden behind the request id. */
export function errorResponse(error: unknown, requestId: string): NextResponse<ErrorBody> {
  const mapped = toPublicError(error);
  if (mapped.expected) {
    const response = jsonError(mapped.status, mapped.code, mapped.message, mapped.details);
    // A throttled caller is told when to come back, in the standard header as well as the body.
    if (error instanceof TooManyRequestsError) response.headers.set("Retry-After", String(error.retryAfterSeconds));
    return response;
  }
  log.error("unhandled_error", { requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  return jsonError(mapped.status, mapped.code, mapped.message, { requestId });
}

export type RouteContext = { params: Promise<Record<string, string | string[]>> };
export type Handler<Extra> = (req: Request, ctx: RouteContext & Extra) => Promise<Response>;

/**
 * Named steps of one request, for its Server-Timing header (`query;dur=0.61`): how long the data took
 * inside the server, apart from the session check and the framework. The admin console's read APIs
 * send it; bench:admin compares it with the same SQL run bare.
 */
export class ServerTiming {
  private readonly steps: string[] = [];

  async measure<T>(name: string, work: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    try {
      return await work();
    } finally {
      this.steps.push(`${name};dur=${(performance.now() - startedAt).toFixed(2)}`);
    }
  }

  header(): string {
    return this.steps.join(", ");
  }
}

/** The largest body a route handler reads (the Stripe webhook allows 1 MB, and says so). */
export const BODY_LIMIT_BYTES = 64 * 1024;

// A caller's X-Request-Id is kept (so a proxy's id follows the request through our logs) only when it
// is a short token; anything else (newlines, markup, a kilobyte of text) is replaced, never echoed or logged.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdFor(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given !== null && REQUEST_ID.test(given) ? given : randomUUID();
}

export interface RouteOptions {
  /**
   * "same-origin" (the default): POST, PUT, PATCH and DELETE are refused unless they come from our own
   * pages (or no browser) and carry JSON (lib/core/http/same-origin.ts). "any": callers that prove who they
   * are another way — Stripe's signature, the cron bearer secret, next-auth's CSRF token.
   */
  callers?: "same-origin" | "any";
  /** A declared Content-Length over this is refused with 413 before the handler runs. */
  maxBodyBytes?: number;
}

/**
 * Wraps a route handler so that every thrown error goes through the one error map, after the checks
 * every handler shares: the request id, the body's declared size, and (by default) the origin check.
 * A response that reports Server-Timing steps also gets `handler;dur=`: the whole handler, session check included.
 */
export function route(handler: Handler<{ requestId: string }>, options: RouteOptions = {}) {
  const { callers = "same-origin", maxBodyBytes = BODY_LIMIT_BYTES } = options;
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const requestId = requestIdFor(req.headers);
    const startedAt = performance.now();
    try {
      if (callers === "same-origin") assertSameOriginJson(req, new URL(appUrl()).origin);
      const declared = declaredContentLength(req.headers);
      if (declared !== null && declared > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
      const response = await handler(req, { ...ctx, requestId });
      if (response.headers.has("Server-Timing")) response.headers.append("Server-Timing", `handler;dur=${(performance.now() - startedAt).toFixed(2)}`);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

/** The body as JSON checked by `schema`; read through the counting reader, so at most BODY_LIMIT_BYTES (413 past it). */
export async function parseJson<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  const text = await readLimitedBody(req, BODY_LIMIT_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError("The request body must be JSON.");
  }
  return schema.parse(body);
}
