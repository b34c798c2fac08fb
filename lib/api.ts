import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError, ForbiddenError, TooManyRequestsError, UnauthorizedError, ValidationError } from "./errors";
import { getCurrentUser, type CurrentUser } from "./auth/session";
import { log } from "./log";

export interface ErrorBody {
  error: { code: string; message: string; requestId?: string } & Record<string, unknown>;
}

export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json<ErrorBody>({ error: { code, message, ...extra } }, { status });
}

/** The one error map: domain errors keep their status, zod → 422, anything else is hidden. */
export function errorResponse(error: unknown, requestId: string): NextResponse<ErrorBody> {
  if (error instanceof TooManyRequestsError) {
    const response = jsonError(error.status, error.code, error.message, error.details ?? {});
    response.headers.set("Retry-After", String(error.retryAfterSeconds));
    return response;
  }
  if (error instanceof AppError) {
    return jsonError(error.status, error.code, error.message, error.details ?? {});
  }
  if (error instanceof z.ZodError) {
    const fields = z.flattenError(error).fieldErrors;
    return jsonError(422, "validation_error", "The request is not valid.", { fields });
  }
  log.error("unhandled_error", {
    requestId,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return jsonError(500, "internal_error", "Something went wrong on our side.", { requestId });
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type Handler<Extra> = (req: Request, ctx: RouteContext & Extra) => Promise<Response>;

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

/** A route handler for signed-in users: 401 JSON otherwise. */
export function withUser(handler: Handler<{ requestId: string; user: CurrentUser }>) {
  return route(async (req, ctx) => {
    const user = await getCurrentUser();
    if (!user) throw new UnauthorizedError();
    return handler(req, { ...ctx, user });
  });
}

/** A route handler for admins: 401 when signed out, 403 for a USER. */
export function withAdmin(handler: Handler<{ requestId: string; user: CurrentUser }>) {
  return withUser(async (req, ctx) => {
    if (ctx.user.role !== "ADMIN") throw new ForbiddenError();
    return handler(req, ctx);
  });
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
