import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import { toPublicError, TooManyRequestsError, ValidationError } from "./errors";
import { log } from "./log";

// HTTP plumbing for route handlers: the JSON error shape and the wrapper that applies the one error map.
// Who may call a handler is decided by the guards in lib/guards.ts.

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

/** Wraps a route handler so that every thrown error goes through the one error map. */
export function route(handler: Handler<{ requestId: string }>) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const requestId = req.headers.get("x-request-id") ?? randomUUID();
    try {
      return await handler(req, { ...ctx, requestId });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

export async function parseJson<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new ValidationError("The request body must be JSON.");
  }
  return schema.parse(body);
}
