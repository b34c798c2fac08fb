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

/**
 * Wraps a route handler so that every thrown error goes through the one error map. A response that
 * reports Server-Timing steps also gets `handler;dur=`: the whole handler, session check included.
 */
export function route(handler: Handler<{ requestId: string }>) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const requestId = req.headers.get("x-request-id") ?? randomUUID();
    const startedAt = performance.now();
    try {
      const response = await handler(req, { ...ctx, requestId });
      if (response.headers.has("Server-Timing")) response.headers.append("Server-Timing", `handler;dur=${(performance.now() - startedAt).toFixed(2)}`);
      return response;
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
